/**
 * Who may open a socket and how fast it may talk: open connections per client IP (`server.limits`, refused with
 * 429 before the handshake) and frames per connection (`livechat.limits.framesPerConnection`, closed with 1008).
 * Both channels and DDP share them, so a client cannot escape a limit by switching protocol.
 */
import type { IncomingMessage } from 'node:http';
import type { ConfigSnapshot } from '../config/index.js';
import { randomId } from '../services/ids.js';
import type { RateLimits } from '../services/rate-limits.js';

/** Resolves false once the connection has sent more frames than its window allows. */
export type FrameGate = () => Promise<boolean>;

export class Admission {
  readonly #open = new Map<string, number>();

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

  /** Counts an open connection from `ip`; undefined when the address already holds its share. */
  open(ip: string): (() => void) | undefined {
    const max = this.config().server.limits.wsConnectionsPerIp;
    const count = this.#open.get(ip) ?? 0;
    if (max > 0 && count >= max) return undefined;
    this.#open.set(ip, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.#open.get(ip) ?? 1) - 1;
      if (left > 0) this.#open.set(ip, left);
      else this.#open.delete(ip);
    };
  }

  /** A gate for one new connection. */
  frameGate(): FrameGate {
    const key = randomId();
    return () => this.rates.take('framesPerConnection', key).then(
      () => true,
      () => false,
    );
  }
}
