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
 *
 * The sessions are room streams (they extend this class) and say how to send, read and whether the connection is
 * still open by overriding methods: one object per connection instead of a stream beside the session with a
 * closure for each of those. A visitor has one room, so one cursor is kept as itself and a Map is made only for a
 * second room (an agent's connection).
 */
import type { Message } from '../domain/message.js';

interface RoomCursor {
  readonly rid: string;
  held: boolean;
  /** Live messages that arrived while held or replaying; null when streaming live. */
  buffer: Message[] | null;
  /** Highest seq sent on this connection. */
  sentMax: number;
  /** Resumes of one room run one after another; back to SETTLED once the last one finished. */
  chain: Promise<void>;
}

/** Where every cursor's chain of resumes starts: one shared settled promise, not one per room and connection. */
const SETTLED: Promise<void> = Promise.resolve();

/** Messages read from the store per page of a replay. */
export const REPLAY_PAGE_SIZE = 500;

export abstract class RoomStream {
  #cursors: RoomCursor | Map<string, RoomCursor> | undefined;

  /** Sends one message to the client. */
  protected abstract deliver(message: Message): void;

  /** Reads at most `limit` messages of a room after `afterSeq`, in seq order. */
  protected abstract fetchPage(rid: string, afterSeq: number, limit: number): Promise<Message[]>;

  /** False once the connection is gone: a replay stops reading pages nobody will receive. */
  protected get clientOpen(): boolean {
    return true;
  }

  protected get pageSize(): number {
    return REPLAY_PAGE_SIZE;
  }

  /** Marks a room the client knew before this connection: nothing is sent for it until it resumes. */
  hold(rid: string, lastSeq: number): void {
    if (!this.#cursor(rid)) this.#add({ rid, held: true, buffer: [], sentMax: lastSeq, chain: SETTLED });
  }

  live(message: Message): void {
    const cursor = this.#cursor(message.rid);
    if (!cursor) {
      this.#add({ rid: message.rid, held: false, buffer: null, sentMax: message.seq, chain: SETTLED });
      this.deliver(message);
      return;
    }
    if (cursor.buffer) cursor.buffer.push(message);
    else this.#emit(cursor, message);
  }

  resume(rid: string, afterSeq: number): Promise<void> {
    const known = this.#cursor(rid);
    const cursor = known ?? this.#add({ rid, held: false, buffer: null, sentMax: afterSeq, chain: SETTLED });
    const run = cursor.chain.then(() => this.#replay(cursor, afterSeq));
    const chain: Promise<void> = run.then(
      () => {
        if (cursor.chain === chain) cursor.chain = SETTLED;
      },
      () => {
        if (cursor.chain === chain) cursor.chain = SETTLED;
        // A room the client may not read (or that vanished) must not leave a cursor behind.
        if (!known) this.forget(rid);
      },
    );
    cursor.chain = chain;
    return run;
  }

  forget(rid: string): void {
    const cursors = this.#cursors;
    if (cursors instanceof Map) cursors.delete(rid);
    else if (cursors?.rid === rid) this.#cursors = undefined;
  }

  #cursor(rid: string): RoomCursor | undefined {
    const cursors = this.#cursors;
    if (cursors instanceof Map) return cursors.get(rid);
    return cursors?.rid === rid ? cursors : undefined;
  }

  /** Adds a cursor for a room that has none. */
  #add(cursor: RoomCursor): RoomCursor {
    const cursors = this.#cursors;
    if (cursors === undefined) this.#cursors = cursor;
    else if (cursors instanceof Map) cursors.set(cursor.rid, cursor);
    else this.#cursors = new Map([[cursors.rid, cursors], [cursor.rid, cursor]]);
    return cursor;
  }

  async #replay(cursor: RoomCursor, afterSeq: number): Promise<void> {
    const { rid } = cursor;
    // A held room has sent nothing yet: the client's word is the truth. A live one must not repeat what it sent.
    const from = cursor.held ? afterSeq : Math.max(afterSeq, cursor.sentMax);
    const pageSize = Math.max(1, this.pageSize);
    cursor.held = false;
    cursor.sentMax = from;
    cursor.buffer ??= [];
    try {
      // Each full page moves `after` strictly forward (seqs increase), so this ends when the store has no more.
      for (let after = from; this.clientOpen; ) {
        const page = await this.fetchPage(rid, after, pageSize);
        for (const message of page) this.#emit(cursor, message);
        const last = page.at(-1)?.seq ?? after;
        if (page.length < pageSize || last <= after) break;
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
    this.deliver(message);
  }
}
