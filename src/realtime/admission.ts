/**
 * Who may open a socket and how fast it may talk: open connections per client IP (`server.limits`, refused with
 * 429 before the handshake) and frames per connection (`livechat.limits.framesPerConnection`, closed with 1008).
 * Both channels and DDP share them, so a client cannot escape a limit by switching protocol.
 *
 * Neither hands a connection a closure: a connection keeps its counted address and its frame key as plain values
 * (an idle connection is mostly what it holds, and a closure with its context costs more than the connection's
 * other fields together).
 */
import type { IncomingMessage } from 'node:http';
import type { ConfigSnapshot } from '../config/index.js';
import type { RateLimits } from '../services/rate-limits.js';

/** Resolves false once the connection has sent more frames than its window allows. */
export type FrameGate = () => Promise<boolean>;

const ADMITTED = (): boolean => true;
const REFUSED = (): boolean => false;

export class Admission {
  readonly #open = new Map<string, number>();
  /** The last frame key handed out: keys only need to differ between connections of this process. */
  #lastKey = 0;

  constructor(
    private readonly config: () => ConfigSnapshot,
    private readonly rates: RateLimits,
  ) {}

  /**
   * The client's address as the HTTP API sees it (http/app.ts): with server.trustProxy, the last X-Forwarded-For
   * entry — the one the proxy appended; earlier ones come from the client. Without it forwarded headers are ignored.
   */
  clientIp(req: IncomingMessage): string {
    const forwarded = this.config().server.trustProxy ? String(req.headers['x-forwarded-for'] ?? '').split(',').at(-1)?.trim() : '';
    return forwarded || req.socket.remoteAddress || 'unknown';
  }

  /**
   * Counts an open connection from `ip`; false when the address already holds its share. Every `true` must be
   * matched by exactly one `release(ip)`.
   */
  open(ip: string): boolean {
    const max = this.config().server.limits.wsConnectionsPerIp;
    const count = this.#open.get(ip) ?? 0;
    if (max > 0 && count >= max) return false;
    this.#open.set(ip, count + 1);
    return true;
  }

  /** Uncounts a connection counted by `open(ip)`. */
  release(ip: string): void {
    const left = (this.#open.get(ip) ?? 1) - 1;
    if (left > 0) this.#open.set(ip, left);
    else this.#open.delete(ip);
  }

  /** A key for one new connection's frame window (see `admitFrame`). */
  frameKey(): number {
    this.#lastKey += 1;
    return this.#lastKey;
  }

  /** Counts one frame of the connection with `key`; resolves false once it is over its window. */
  admitFrame(key: number): Promise<boolean> {
    return this.rates.take('framesPerConnection', String(key)).then(ADMITTED, REFUSED);
  }

  /** A gate for one new connection (DDP sessions take their frame window as a function). */
  frameGate(): FrameGate {
    const key = this.frameKey();
    return () => this.admitFrame(key);
  }
}
