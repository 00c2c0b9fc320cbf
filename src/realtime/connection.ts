/**
 * One WebSocket, whatever the channel: authentication deadline, frame parsing and validation, error frames,
 * abuse limits, a send-buffer cap, and liveness for the heartbeat.
 *
 * Invariants: nothing but an `auth` frame is acted on before authentication; a client that stops reading is cut
 * off (1013) before its buffer can grow the daemon's memory; frames are sent pre-serialised, so fan-out to many
 * connections stringifies once.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { isAppError } from '../domain/errors.js';
import type { Logger } from '../telemetry/logger.js';
import type { FrameGate } from './admission.js';
import { CLOSE } from './close-codes.js';
import { parseFrame, type Channel } from './frames.js';

export interface ConnectionLimits {
  authTimeoutMs: number;
  /** Bytes queued for sending beyond which the client counts as not reading. */
  maxBufferedBytes: number;
  /** Invalid frames tolerated before closing with 1008. */
  maxInvalidFrames: number;
  /** Messages read from the store per page when a resume replays (see RoomStream); tests make it small. */
  replayPageSize?: number;
}

export const DEFAULT_LIMITS: ConnectionLimits = { authTimeoutMs: 5_000, maxBufferedBytes: 1 << 20, maxInvalidFrames: 10 };

export type FrameHandler = (frame: { type: string } & Record<string, unknown>) => Promise<void> | void;

/** Where every connection's frame chain starts (one shared settled promise, not one per connection). */
const SETTLED: Promise<void> = Promise.resolve();

export class Connection {
  alive = true;
  authenticated = false;
  #invalid = 0;
  #handler: FrameHandler;
  #queue: Promise<void> = SETTLED;
  /** Cleared at authentication: an idle connection holds no timer. */
  readonly #deadline: NodeJS.Timeout;
  /** Set when ws emitted `close`; from then on cleanups run at once. */
  #gone = false;
  readonly #cleanups: (() => void)[] = [];
  #corked = false;

  constructor(
    readonly ws: WebSocket,
    readonly channel: Channel,
    private readonly limits: ConnectionLimits,
    readonly logger: Logger,
    onAuth: (token: string) => Promise<void>,
    private readonly admit: FrameGate = async () => true,
  ) {
    this.#handler = async (frame) => {
      if (frame.type !== 'auth') return this.close(CLOSE.authFailed, 'authenticate first');
      await onAuth(frame.token as string);
    };
    this.#deadline = setTimeout(() => {
      if (!this.authenticated) this.close(CLOSE.authTimeout, 'no auth frame in time');
    }, limits.authTimeoutMs);
    this.#deadline.unref();
    ws.on('pong', () => (this.alive = true));
    ws.on('message', (data, isBinary) => {
      this.alive = true;
      // Frames of one connection are handled in arrival order, each after the previous one finished.
      this.#queue = this.#queue.then(() => this.#receive(isBinary ? null : data.toString())).catch((err: unknown) => this.#crashed(err));
    });
    ws.on('close', () => {
      clearTimeout(this.#deadline);
      this.#gone = true;
      for (const cleanup of this.#cleanups.splice(0)) this.#run(cleanup);
    });
    ws.on('error', (err) => this.logger.debug({ err: err.message, channel }, 'websocket error'));
  }

  get replayPageSize(): number | undefined {
    return this.limits.replayPageSize;
  }

  /** Whether frames can still be sent: false from the moment the close handshake starts. */
  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  /**
   * Runs `cleanup` once the socket has closed, or at once if it already has. Authentication registers the undoing
   * of each thing it counts in the same tick as it counts it, so a socket that drops while auth is still awaiting
   * leaves nothing behind: every registered cleanup runs exactly once.
   */
  onClose(cleanup: () => void): void {
    if (this.#gone) this.#run(cleanup);
    else this.#cleanups.push(cleanup);
  }

  /** After authentication, frames go to the channel's handler. */
  onFrames(handler: FrameHandler): void {
    this.authenticated = true;
    clearTimeout(this.#deadline);
    this.#handler = handler;
  }

  send(frame: object): void {
    this.sendRaw(JSON.stringify(frame));
  }

  sendRaw(text: string): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > this.limits.maxBufferedBytes) {
      this.logger.warn({ channel: this.channel, buffered: this.ws.bufferedAmount }, 'client not reading; disconnecting');
      this.close(CLOSE.tryAgainLater, 'not reading fast enough; reconnect and resume');
      return;
    }
    this.#cork();
    this.ws.send(text);
  }

  /**
   * Frames sent to one client while the event loop handles one event — a group commit's acks and messages, an
   * ack and the echo of the same message — leave in one write(2) instead of one each: the socket is corked at
   * the first and uncorked once that event's callbacks and promise reactions have run (a tick queued from them
   * runs after them).
   */
  #cork(): void {
    if (this.#corked) return;
    const socket = (this.ws as unknown as { _socket?: Socket })._socket;
    if (!socket) return;
    this.#corked = true;
    socket.cork();
    process.nextTick(Connection.#uncork, this, socket);
  }

  static #uncork(conn: Connection, socket: Socket): void {
    conn.#corked = false;
    socket.uncork();
  }

  error(code: string, message: string, id?: string): void {
    this.send({ type: 'error', code, message, ...(id !== undefined && { id }) });
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.CLOSED || this.ws.readyState === this.ws.CLOSING) return;
    this.ws.close(code, reason);
    if (code === CLOSE.tryAgainLater) {
      // The close frame waits behind the unread backlog; if the client never gets to it, drop the socket so the
      // backlog's memory is freed.
      setTimeout(() => this.ws.terminate(), 1_000).unref();
    }
  }

  async #receive(text: string | null): Promise<void> {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (!(await this.admit())) return this.close(CLOSE.policyViolation, 'too many frames; slow down');
    const parsed = text === null ? { ok: false as const, message: 'binary frames are not accepted' } : parseFrame(this.channel, text);
    if (!parsed.ok) return this.#reject('invalid-frame', parsed.message, 'id' in parsed ? parsed.id : undefined);
    try {
      await this.#handler(parsed.frame);
    } catch (err) {
      // A `send` is identified by its clientMsgId (its ack carries it too), so a failed send can be matched.
      const key = parsed.frame.type === 'send' ? parsed.frame.clientMsgId : parsed.frame.id;
      const id = typeof key === 'string' ? key : undefined;
      if (isAppError(err) && err.code !== 'internal-error') return this.error(err.code, err.message || err.code, id);
      this.logger.error({ err, channel: this.channel, frame: parsed.frame.type }, 'frame handling failed');
      this.error('internal-error', 'Internal server error', id);
    }
  }

  #run(cleanup: () => void): void {
    try {
      cleanup();
    } catch (err) {
      this.logger.error({ err, channel: this.channel }, 'connection cleanup failed');
    }
  }

  /** A bug, never input: close this connection (1011) and keep the process and the frame chain alive. */
  #crashed(err: unknown): void {
    this.logger.error({ err, channel: this.channel }, 'frame handling crashed; connection closed');
    this.close(CLOSE.internalError, 'internal error');
  }

  #reject(code: string, message: string, id?: string): void {
    this.#invalid += 1;
    if (this.#invalid > this.limits.maxInvalidFrames) return this.close(CLOSE.policyViolation, 'too many invalid frames');
    this.error(code, message, id);
  }
}
