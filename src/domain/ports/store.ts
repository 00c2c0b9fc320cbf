/**
 * The store port. Services see only this; drivers live in src/store/ (LevelDB by default, memory for tests).
 *
 * Data is grouped in named collections (LevelDB sublevels). Keys are strings ordered lexicographically, values are
 * JSON-serialisable. Every multi-key change that must be atomic is one `batch()` call: either every op is durable
 * or none is. A `batch()` promise resolves only after the write is durable, so a caller may acknowledge a change
 * to a client once it resolves. Drivers may merge batches issued in the same event-loop tick into one write
 * (group commit); each caller still sees its own ops applied atomically.
 */
export const COLLECTIONS = [
  'meta', //          store metadata (layout version)
  'visitors', //      visitor by token
  'visitorIds', //    visitor id -> token
  'rooms', //         room by id
  'visitorRooms', //  `${visitorId}!${rid}` -> null (a visitor's rooms, for deletion and history)
  'messages', //      `${rid}!${seq(12 digits)}` -> message
  'messageIds', //    message id -> `${rid}!${seq}` (idempotency by client `_id`, lookups)
  'offline', //       offline messages by id
  'pages', //         page-visit history `${visitorToken}!${ts}!${id}`
  'outbox', //        pending webhook deliveries
  'deadLetters', //   exhausted webhook deliveries
  'sessions', //      agent sessions by hashed token
  'counters', //      monotonic counters (guest numbers, chat codes, routing cursors)
  'openRooms', //     ids of rooms not yet closed (rebuilds the in-memory chat state at start)
  'agents', //        per-agent state that outlives a restart (chosen status)
] as const;

export type Collection = (typeof COLLECTIONS)[number];

export type BatchOp =
  | { type: 'put'; collection: Collection; key: string; value: unknown }
  | { type: 'del'; collection: Collection; key: string };

export interface RangeOptions {
  gt?: string;
  gte?: string;
  lt?: string;
  lte?: string;
  reverse?: boolean;
  limit?: number;
}

export interface Store {
  /** The value, or `undefined` when the key is absent. */
  get<T>(collection: Collection, key: string): Promise<T | undefined>;
  /**
   * Whether the key is present. For questions usually answered "no" (is this client id new?): drivers may answer
   * the checks of one event-loop turn together, and a miss must not cause work later (LevelDB: seek compactions).
   */
  has(collection: Collection, key: string): Promise<boolean>;
  /** Values in key order for the given keys; `undefined` where absent. */
  getMany<T>(collection: Collection, keys: readonly string[]): Promise<(T | undefined)[]>;
  put(collection: Collection, key: string, value: unknown): Promise<void>;
  del(collection: Collection, key: string): Promise<void>;
  /** Applies every op atomically. Resolves once durable. */
  batch(ops: readonly BatchOp[]): Promise<void>;
  /** Entries in key order (or reverse), bounded by the options. */
  range<T>(collection: Collection, options?: RangeOptions): AsyncIterable<[key: string, value: T]>;
  /** Whether the store is open and accepting writes. */
  readonly ready: boolean;
  close(): Promise<void>;
}

/** The on-disk layout this build reads and writes. Bump it with a migration when keys or values change shape. */
export const STORE_LAYOUT_VERSION = 1;

/** Message keys sort by seq within a room: `${rid}!000000000042`. */
export function messageKey(rid: string, seq: number): string {
  return `${rid}!${String(seq).padStart(12, '0')}`;
}

/** Bounds that select every message of a room, for `range()`. */
export function roomMessageRange(rid: string): { gte: string; lt: string } {
  return { gte: `${rid}!`, lt: `${rid}"` }; // '"' is the character after '!'
}
