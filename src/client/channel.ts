/**
 * A realtime channel that stays connected: authenticates with the first frame, reconnects with backoff and jitter
 * after any non-fatal close, and resumes every room from the last seq it delivered, so the consumer sees each
 * message once, in seq order, across reconnects. Requests carry ids and resolve with the matching answer;
 * sends that were in flight when the connection dropped are sent again with the same client id (the server
 * answers a repeated id with the original ack, never a second message).
 */
import { backoffDelay, DEFAULT_BACKOFF, type BackoffOptions } from './backoff.js';
import { FATAL_CLOSE_CODES, OPEN, type SocketFactory, type SocketLike } from './socket.js';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface Frame {
  type: string;
  [key: string]: unknown;
}

export interface ChannelOptions {
  url: string;
  token: () => string;
  socket: SocketFactory;
  backoff?: BackoffOptions;
  /** Rooms present in `ready` that the client has no cursor for start from here (e.g. their lastSeq: no history). */
  initialCursor?: (rid: string, lastSeqOnServer: number) => number;
  /** Extracts the rooms and their last seqs from a `ready` frame. */
  roomsInReady: (ready: Frame) => { rid: string; lastSeq: number }[];
}

export class ServerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

type Listener = (frame: Frame) => void;

export class Channel {
  state: ConnectionState = 'connecting';
  readonly #cursors = new Map<string, number>();
  readonly #listeners = new Set<Listener>();
  readonly #stateListeners = new Set<(state: ConnectionState, detail?: string) => void>();
  readonly #requests = new Map<string, { resolve: (f: Frame) => void; reject: (e: Error) => void; frame: Frame }>();
  #socket: SocketLike | null = null;
  #attempt = 0;
  #nextId = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #ready: Promise<Frame>;
  #resolveReady!: (f: Frame) => void;
  #rejectReady!: (e: Error) => void;

  constructor(private readonly options: ChannelOptions) {
    this.#ready = this.#newReady();
    this.#connect();
  }

  /** The first `ready` frame (rejects if the server refuses the token). */
  ready(): Promise<Frame> {
    return this.#ready;
  }

  on(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  onState(listener: (state: ConnectionState, detail?: string) => void): () => void {
    this.#stateListeners.add(listener);
    return () => this.#stateListeners.delete(listener);
  }

  lastSeq(rid: string): number | undefined {
    return this.#cursors.get(rid);
  }

  /** Sends a frame and resolves with the server's answer (`result`/`ack`), or rejects with its `error`. */
  request(frame: Frame, key?: string): Promise<Frame> {
    const id = key ?? `r${++this.#nextId}`;
    const withId = key === undefined ? { ...frame, id } : frame;
    return new Promise((resolve, reject) => {
      this.#requests.set(id, { resolve, reject, frame: withId });
      this.#sendNow(withId);
    });
  }

  /** Fire-and-forget (typing). Dropped while disconnected: stale typing is worse than none. */
  notify(frame: Frame): void {
    this.#sendNow(frame);
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#setState('closed');
    this.#socket?.close(1000, 'client closed');
    for (const pending of this.#requests.values()) pending.reject(new Error('channel closed'));
    this.#requests.clear();
  }

  #connect(): void {
    const socket = this.options.socket(this.options.url);
    this.#socket = socket;
    socket.addEventListener('open', () => socket.send(JSON.stringify({ type: 'auth', token: this.options.token() })));
    socket.addEventListener('message', (event) => this.#receive(String(event.data)));
    socket.addEventListener('error', () => undefined); // a close event follows; that is where we act
    socket.addEventListener('close', (event) => this.#closed(socket, event.code, event.reason));
  }

  #receive(text: string): void {
    let frame: Frame;
    try {
      frame = JSON.parse(text) as Frame;
    } catch {
      return;
    }
    if (frame.type === 'ready') return this.#onReady(frame);
    if (frame.type === 'message') {
      const message = frame.message as { rid: string; seq: number };
      const last = this.#cursors.get(message.rid) ?? 0;
      if (message.seq <= last) return; // defensive: never deliver a seq twice
      this.#cursors.set(message.rid, message.seq);
    }
    const key = frame.type === 'ack' ? (frame.clientMsgId as string) : (frame.id as string | undefined);
    if ((frame.type === 'result' || frame.type === 'ack' || frame.type === 'error') && key !== undefined) {
      const pending = this.#requests.get(key);
      if (pending) {
        this.#requests.delete(key);
        if (frame.type === 'error') pending.reject(new ServerError(String(frame.code), String(frame.message)));
        else pending.resolve(frame);
        return;
      }
    }
    for (const listener of this.#listeners) listener(frame);
  }

  #onReady(frame: Frame): void {
    this.#attempt = 0;
    this.#setState('open');
    for (const { rid, lastSeq } of this.options.roomsInReady(frame)) {
      const from = this.#cursors.get(rid) ?? this.options.initialCursor?.(rid, lastSeq) ?? 0;
      this.#cursors.set(rid, from);
      this.#sendNow({ type: 'resume', rid, afterSeq: from });
    }
    for (const pending of this.#requests.values()) this.#sendNow(pending.frame);
    this.#resolveReady(frame);
    for (const listener of this.#listeners) listener(frame);
  }

  #closed(socket: SocketLike, code: number, reason: string): void {
    if (socket !== this.#socket || this.state === 'closed') return;
    if (FATAL_CLOSE_CODES.has(code)) {
      this.#setState('closed', reason || `closed with ${code}`);
      this.#rejectReady(new ServerError(`close-${code}`, reason || `closed with ${code}`));
      for (const pending of this.#requests.values()) pending.reject(new Error(reason));
      this.#requests.clear();
      return;
    }
    this.#setState('reconnecting', reason || `closed with ${code}`);
    // Only sends are safe to repeat (the server de-duplicates by clientMsgId); other requests may or may not have
    // been applied, so their callers must look at the new state instead of getting a guessed answer.
    for (const [key, pending] of this.#requests) {
      if (pending.frame.type === 'send') continue;
      this.#requests.delete(key);
      pending.reject(new ServerError('connection-lost', 'connection lost before the server answered'));
    }
    const delay = backoffDelay(this.#attempt++, this.options.backoff ?? DEFAULT_BACKOFF);
    this.#timer = setTimeout(() => this.#connect(), delay);
  }

  #sendNow(frame: Frame): void {
    if (this.#socket?.readyState === OPEN && this.state === 'open') this.#socket.send(JSON.stringify(frame));
  }

  #setState(state: ConnectionState, detail?: string): void {
    this.state = state;
    for (const listener of this.#stateListeners) listener(state, detail);
  }

  #newReady(): Promise<Frame> {
    const ready = new Promise<Frame>((resolve, reject) => {
      this.#resolveReady = resolve;
      this.#rejectReady = reject;
    });
    ready.catch(() => undefined);
    return ready;
  }
}
