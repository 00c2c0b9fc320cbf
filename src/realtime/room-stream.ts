/**
 * Per-connection delivery of room messages: each seq exactly once, in order, across live fan-out and replays.
 *
 * A room the client already knew when it connected is *held*: live messages are buffered until the client says
 * where it stopped (`resume {rid, afterSeq}`). Then the store is replayed after that seq while new live messages
 * keep buffering, and the buffer is flushed, skipping any seq already sent. A room that appears while connected
 * streams live from its next message.
 *
 * Replays read the store in pages of `pageSize` until a short page says nothing is left, so a client that was
 * away for any number of messages gets all of them (a single bounded read silently dropped the rest).
 */
import type { Message } from '../domain/message.js';

interface RoomCursor {
  held: boolean;
  /** Live messages that arrived while held or replaying; null when streaming live. */
  buffer: Message[] | null;
  /** Highest seq sent on this connection. */
  sentMax: number;
  /** Resumes of one room run one after another. */
  chain: Promise<void>;
}

/** Where every cursor's chain of resumes starts: one shared settled promise, not one per room and connection. */
const SETTLED: Promise<void> = Promise.resolve();

/** Messages read from the store per page of a replay. */
export const REPLAY_PAGE_SIZE = 500;

/** Reads at most `limit` messages of a room after `afterSeq`, in seq order. */
export type FetchPage = (rid: string, afterSeq: number, limit: number) => Promise<Message[]>;

export interface RoomStreamOptions {
  pageSize?: number;
  /** False once the connection is gone: a replay stops reading pages nobody will receive. */
  open?: () => boolean;
}

export class RoomStream {
  readonly #rooms = new Map<string, RoomCursor>();
  readonly #pageSize: number;
  readonly #open: () => boolean;

  constructor(
    private readonly send: (message: Message) => void,
    private readonly fetchPage: FetchPage,
    options: RoomStreamOptions = {},
  ) {
    this.#pageSize = Math.max(1, options.pageSize ?? REPLAY_PAGE_SIZE);
    this.#open = options.open ?? (() => true);
  }

  /** Marks a room the client knew before this connection: nothing is sent for it until it resumes. */
  hold(rid: string, lastSeq: number): void {
    if (!this.#rooms.has(rid)) this.#rooms.set(rid, { held: true, buffer: [], sentMax: lastSeq, chain: SETTLED });
  }

  live(message: Message): void {
    const cursor = this.#rooms.get(message.rid);
    if (!cursor) {
      this.#rooms.set(message.rid, { held: false, buffer: null, sentMax: message.seq, chain: SETTLED });
      this.send(message);
      return;
    }
    if (cursor.buffer) cursor.buffer.push(message);
    else this.#emit(cursor, message);
  }

  resume(rid: string, afterSeq: number): Promise<void> {
    const known = this.#rooms.get(rid);
    const cursor = known ?? { held: false, buffer: null, sentMax: afterSeq, chain: SETTLED };
    this.#rooms.set(rid, cursor);
    const run = cursor.chain.then(() => this.#replay(rid, cursor, afterSeq));
    cursor.chain = run.catch(() => {
      // A room the client may not read (or that vanished) must not leave a cursor behind.
      if (!known) this.#rooms.delete(rid);
    });
    return run;
  }

  forget(rid: string): void {
    this.#rooms.delete(rid);
  }

  async #replay(rid: string, cursor: RoomCursor, afterSeq: number): Promise<void> {
    // A held room has sent nothing yet: the client's word is the truth. A live one must not repeat what it sent.
    const from = cursor.held ? afterSeq : Math.max(afterSeq, cursor.sentMax);
    cursor.held = false;
    cursor.sentMax = from;
    cursor.buffer ??= [];
    try {
      // Each full page moves `after` strictly forward (seqs increase), so this ends when the store has no more.
      for (let after = from; this.#open(); ) {
        const page = await this.fetchPage(rid, after, this.#pageSize);
        for (const message of page) this.#emit(cursor, message);
        const last = page.at(-1)?.seq ?? after;
        if (page.length < this.#pageSize || last <= after) break;
        after = last;
      }
    } finally {
      const buffered = cursor.buffer.sort((a, b) => a.seq - b.seq);
      cursor.buffer = null;
      for (const message of buffered) this.#emit(cursor, message);
    }
  }

  #emit(cursor: RoomCursor, message: Message): void {
    if (message.seq <= cursor.sentMax) return;
    cursor.sentMax = message.seq;
    this.send(message);
  }
}
