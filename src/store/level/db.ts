/** The LevelDB handles the driver works with: one database, one sublevel per collection, values as JSON text. */
import type { BatchOperation, Level } from 'level';
import type { Collection } from '../../domain/ports/store.js';

/** Keys and values are strings: values are JSON encoded by validate.ts, before they reach LevelDB. */
export type Db = Level<string, string>;

export type Sublevel = ReturnType<typeof sublevelOf>;

export type LevelOp = BatchOperation<Db, string, string>;

/** The sublevel is named after the collection, so on disk its keys are prefixed `!<collection>!`. */
export function sublevelOf(db: Db, collection: Collection) {
  return db.sublevel<string, string>(collection, { valueEncoding: 'utf8' });
}

/**
 * Writes ops whose keys already carry their sublevel prefix and whose values are already strings, through
 * classic-level's implementation of abstract-level's `_batch` (the API abstract-level defines for stores like it).
 * The public `batch()` clones every op, resolves its encodings and re-encodes it: work these ops do not need that
 * cost as much as LevelDB's own write on the chat hot path. The database must be open (the store only writes then).
 */
export function writePrepared(db: Db, ops: LevelOp[], options: { sync: boolean }): Promise<void> {
  return (db as unknown as { _batch(ops: LevelOp[], options: { sync: boolean }): Promise<void> })._batch(ops, options);
}
