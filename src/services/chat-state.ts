/**
 * The in-memory view of every open room: who serves it, who waits, how loaded each agent is. The store is the
 * source of truth; this view is rebuilt from it at start (`openRooms` index) and changed only together with a
 * batch that makes the same change durable.
 *
 * Invariant: routing decisions read and update this view synchronously (no await between deciding and
 * `set()`), so two concurrent decisions can never both give an agent their last free slot.
 */
import type { Message } from '../domain/message.js';
import type { Room } from '../domain/room.js';
import { roomMessageRange, type Store } from '../domain/ports/store.js';
import { IdFilter } from './id-filter.js';
import { caughtUp, onlyMessagesSince, withMessagesOf } from './room-log.js';

const LOAD_CONCURRENCY = 64;

export class ChatState {
  readonly #rooms = new Map<string, Room>();
  readonly #byToken = new Map<string, string>();
  readonly #load = new Map<string, number>();
  /** Every message id the store may hold: appendMessage adds each new one, `loadMessageIds` the stored ones. */
  readonly messageIds = new IdFilter();

  /** Reads every open room, each brought up to its last message (room-log.ts says why the document may lag). */
  async load(store: Store): Promise<void> {
    const ids: string[] = [];
    for await (const [rid] of store.range('openRooms')) ids.push(rid);
    const rooms = (await store.getMany<Room>('rooms', ids)).filter((room): room is Room => room?.open === true);
    // Reads of the rooms' last messages overlap, LOAD_CONCURRENCY at a time: one after another they made starting
    // on 20,000 open rooms take seconds.
    for (let start = 0; start < rooms.length; start += LOAD_CONCURRENCY) {
      const slice = rooms.slice(start, start + LOAD_CONCURRENCY);
      const lasts = await Promise.all(slice.map((room) => lastMessage(store, room._id)));
      slice.forEach((room, i) => this.set(caughtUp(room, lasts[i])));
    }
  }

  /**
   * Adds every stored message id to `messageIds`, then marks it ready. Not part of `load`: it reads one key per
   * message ever stored, which takes seconds for millions, and until it is done posts ask the store instead.
   */
  async loadMessageIds(store: Store): Promise<void> {
    for await (const [id] of store.range('messageIds')) this.messageIds.add(id);
    this.messageIds.markReady();
  }

  get(rid: string): Room | undefined {
    return this.#rooms.get(rid);
  }

  /** The open room of a visitor, if any (a visitor has at most one). */
  ofToken(token: string): Room | undefined {
    const rid = this.#byToken.get(token);
    return rid === undefined ? undefined : this.#rooms.get(rid);
  }

  /** Puts the latest version of a room; a closed room leaves the view. Returns the version it replaced. */
  set(room: Room): Room | undefined {
    const previous = this.#rooms.get(room._id);
    if (room.open && previous && previous.v.token === room.v.token && previous.servedBy?.username === room.servedBy?.username) {
      this.#rooms.set(room._id, room); // a new version of the same chat (every message makes one): indexes hold
      return previous;
    }
    if (previous?.servedBy) this.#bump(previous.servedBy.username, -1);
    if (previous) this.#byToken.delete(previous.v.token);
    if (!room.open) {
      this.#rooms.delete(room._id);
      return previous;
    }
    this.#rooms.set(room._id, room);
    this.#byToken.set(room.v.token, room._id);
    if (room.servedBy) this.#bump(room.servedBy.username, +1);
    return previous;
  }

  /**
   * Undo for `set(room)` when the batch that was to make it durable failed: back to `previous` (none: out of the
   * view). Messages appended on top of `room` since took the seqs after it and may already be written, so they
   * are kept: `previous` with their derived fields (a failed message leaves a gap in the seqs, which is harmless —
   * room-log.ts; rolling back under them would hand their seqs out again and overwrite them). After any other
   * change since, the room is left as it is: that change was built on this one, and a restart reads the store.
   */
  restore(room: Room, previous: Room | undefined): void {
    const now = this.#rooms.get(room._id);
    if (room.open ? now === room : now === undefined) {
      this.set(previous ?? { ...room, open: false });
    } else if (previous && now && onlyMessagesSince(room, now)) {
      this.set(withMessagesOf(previous, now));
    }
  }

  loadOf(username: string): number {
    return this.#load.get(username) ?? 0;
  }

  /** Queued rooms, first come first served. */
  queue(): Room[] {
    return [...this.#rooms.values()]
      .filter((room) => room.status === 'queued')
      .sort((a, b) => (a.queuedAt ?? a.ts).localeCompare(b.queuedAt ?? b.ts) || a.code - b.code);
  }

  servedBy(username: string): Room[] {
    return [...this.#rooms.values()].filter((room) => room.servedBy?.username === username);
  }

  all(): Room[] {
    return [...this.#rooms.values()];
  }

  #bump(username: string, delta: number): void {
    const next = (this.#load.get(username) ?? 0) + delta;
    if (next <= 0) this.#load.delete(username);
    else this.#load.set(username, next);
  }
}

async function lastMessage(store: Store, rid: string): Promise<Message | undefined> {
  for await (const [, message] of store.range<Message>('messages', { ...roomMessageRange(rid), reverse: true, limit: 1 })) return message;
  return undefined;
}
