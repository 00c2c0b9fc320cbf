/**
 * One WebSocket, whatever the channel: authentication deadline, frame parsing and validation, error frames,
 * abuse limits, a send-buffer cap, and liveness for the heartbeat.
 *
 * Invariants: nothing but an `auth` frame is acted on before authentication; a client that stops reading is cut
 * off (1013) before its buffer can grow the daemon's memory; frames are sent pre-serialised, so fan-out to many
 * connections stringifies once.
 *
 * Memory: a daemon holds thousands of idle connections, so a connection owns no closures. Its ws listeners are
 * functions shared by every connection, which find theirs through a field of the ws (EventEmitter calls a listener
 * with `this` = the emitter); what all connections of a server share (limits, logger, authentication, the frame
 * limit, the server's bookkeeping) is one `ConnectionHost`; the session that takes over at authentication is an
 * object with methods.
 */
import type { Socket } from 'node:net';
import type { RawData, WebSocket } from 'ws';
import { isAppError } from '../domain/errors.js';
import type { Logger } from '../telemetry/logger.js';
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

export type Frame = { type: string } & Record<string, unknown>;

/** What every connection of one server shares. */
export interface ConnectionHost {
  readonly limits: ConnectionLimits;
  readonly logger: Logger;
  /** Handles the `auth` frame; a session that accepts the token calls `conn.onFrames`. */
  authenticate(conn: Connection, token: string): Promise<void>;
  /** Counts one frame of `conn` against its limit; resolves false once it sent too many. */
  admitFrame(conn: Connection): Promise<boolean>;
  /** Called exactly once when `conn`'s socket has closed, before the cleanups registered with `onClose`. */
  closed(conn: Connection): void;
}

/** Takes a connection's frames after authentication (a session). */
export interface FrameHandler {
  handleFrame(frame: Frame): Promise<void> | void;
}

/** Undoes what a connection took when its socket closes (a session: its hub entry, its presence count). */
export interface Cleanup {
  closed(): void;
}

/** Where every connection keeps itself on its ws, for the shared listeners. */
const CONNECTION: unique symbol = Symbol('livechatd.connection');
type Linked = WebSocket & { [CONNECTION]: Connection };

export class Connection {
  /** The heartbeat's (ping-sweep.ts): heard from since the last ping, and that ping's tick. */
  alive = true;
  pingedAt = 0;
  #handler: FrameHandler | undefined;
  #invalid = 0;
  /** A frame is being handled; frames arriving meanwhile wait in #backlog (created only when one does). */
  #busy = false;
  #backlog: (string | null)[] | undefined;
  /** Dropped at authentication: an authenticated connection holds no timer. */
  #deadline: NodeJS.Timeout | undefined;
  /** Set when ws emitted `close`; from then on cleanups run at once. */
  #gone = false;
  /** One cleanup is stored as itself; an array only once there are two. */
  #cleanups: Cleanup | Cleanup[] | undefined;
  #corked = false;

  /**
   * `frameKey` is this connection's key in the frame limit and `countedIp` the address its open-connection slot
   * is counted under (undefined: not counted); the host reads both, a connection only keeps them.
   */
  constructor(
    readonly ws: WebSocket,
    readonly channel: Channel,
    readonly host: ConnectionHost,
    readonly frameKey: number,
    readonly countedIp?: string,
  ) {
    (ws as Linked)[CONNECTION] = this;
    ws.on('message', Connection.#onMessage);
    ws.on('pong', Connection.#onPong);
    ws.on('close', Connection.#onClose);
    ws.on('error', Connection.#onError);
    this.#deadline = setTimeout(Connection.#authExpired, host.limits.authTimeoutMs, this);
    this.#deadline.unref();
  }

  get authenticated(): boolean {
    return this.#handler !== undefined;
  }

  get logger(): Logger {
    return this.host.logger;
  }

  get replayPageSize(): number | undefined {
    return this.host.limits.replayPageSize;
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
  onClose(cleanup: Cleanup): void {
    if (this.#gone) return this.#run(cleanup);
    const cleanups = this.#cleanups;
    if (cleanups === undefined) this.#cleanups = cleanup;
    else if (Array.isArray(cleanups)) cleanups.push(cleanup);
    else this.#cleanups = [cleanups, cleanup];
  }

  /** After authentication, frames go to the session's handler. */
  onFrames(handler: FrameHandler): void {
    this.#handler = handler;
    this.#stopDeadline();
  }

  send(frame: object): void {
    this.sendRaw(JSON.stringify(frame));
  }

  sendRaw(text: string): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > this.host.limits.maxBufferedBytes) {
      this.host.logger.warn({ channel: this.channel, buffered: this.ws.bufferedAmount }, 'client not reading; disconnecting');
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

  // The ws listeners, shared by all connections: `this` is the ws.

  static #onMessage(this: WebSocket, data: RawData, isBinary: boolean): void {
    const conn = (this as Linked)[CONNECTION];
    conn.alive = true;
    const text = isBinary ? null : data.toString();
    // Frames of one connection are handled in arrival order, each after the previous one finished.
    if (conn.#busy) (conn.#backlog ??= []).push(text);
    else void conn.#drain(text);
  }

  static #onPong(this: WebSocket): void {
    (this as Linked)[CONNECTION].alive = true;
  }

  static #onClose(this: WebSocket): void {
    const conn = (this as Linked)[CONNECTION];
    if (conn.#gone) return; // ws emits `close` once; should that change, nothing may be released twice
    conn.#stopDeadline();
    conn.#gone = true;
    try {
      conn.host.closed(conn);
    } catch (err) {
      conn.host.logger.error({ err, channel: conn.channel }, 'connection cleanup failed');
    }
    const cleanups = conn.#cleanups;
    conn.#cleanups = undefined;
    if (Array.isArray(cleanups)) for (const cleanup of cleanups) conn.#run(cleanup);
    else if (cleanups !== undefined) conn.#run(cleanups);
  }

  static #onError(this: WebSocket, err: Error): void {
    const conn = (this as Linked)[CONNECTION];
    conn.host.logger.debug({ err: err.message, channel: conn.channel }, 'websocket error');
  }

  static #authExpired(conn: Connection): void {
    conn.#deadline = undefined;
    if (!conn.authenticated) conn.close(CLOSE.authTimeout, 'no auth frame in time');
  }

  #stopDeadline(): void {
    if (this.#deadline === undefined) return;
    clearTimeout(this.#deadline);
    this.#deadline = undefined;
  }

  /**
   * Handles `text`, then every frame that arrived meanwhile, one at a time; started only when none is running,
   * so one drain at a time runs per connection. A bug in one frame closes the connection (#crashed) and the
   * drain goes on, so later frames are still taken off the backlog (and ignored, the socket no longer being open).
   */
  async #drain(text: string | null): Promise<void> {
    this.#busy = true;
    try {
      for (let next: string | null | undefined = text; next !== undefined; next = this.#backlog?.shift()) {
        try {
          await this.#receive(next);
        } catch (err) {
          this.#crashed(err);
        }
      }
    } finally {
      this.#backlog = undefined;
      this.#busy = false;
    }
  }

  async #receive(text: string | null): Promise<void> {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (!(await this.host.admitFrame(this))) return this.close(CLOSE.policyViolation, 'too many frames; slow down');
    const parsed = text === null ? { ok: false as const, message: 'binary frames are not accepted' } : parseFrame(this.channel, text);
    if (!parsed.ok) return this.#reject('invalid-frame', parsed.message, 'id' in parsed ? parsed.id : undefined);
    const frame = parsed.frame;
    try {
      if (this.#handler) await this.#handler.handleFrame(frame);
      else if (frame.type !== 'auth') this.close(CLOSE.authFailed, 'authenticate first');
      else await this.host.authenticate(this, frame.token as string);
    } catch (err) {
      // A `send` is identified by its clientMsgId (its ack carries it too), so a failed send can be matched.
      const key = frame.type === 'send' ? frame.clientMsgId : frame.id;
      const id = typeof key === 'string' ? key : undefined;
      if (isAppError(err) && err.code !== 'internal-error') return this.error(err.code, err.message || err.code, id);
      this.host.logger.error({ err, channel: this.channel, frame: frame.type }, 'frame handling failed');
      this.error('internal-error', 'Internal server error', id);
    }
  }

  #run(cleanup: Cleanup): void {
    try {
      cleanup.closed();
    } catch (err) {
      this.host.logger.error({ err, channel: this.channel }, 'connection cleanup failed');
    }
  }

  /** A bug, never input: close this connection (1011) and keep the process and the frame chain alive. */
  #crashed(err: unknown): void {
    this.host.logger.error({ err, channel: this.channel }, 'frame handling crashed; connection closed');
    this.close(CLOSE.internalError, 'internal error');
  }

  #reject(code: string, message: string, id?: string): void {
    this.#invalid += 1;
    if (this.#invalid > this.host.limits.maxInvalidFrames) return this.close(CLOSE.policyViolation, 'too many invalid frames');
    this.error(code, message, id);
  }
}
