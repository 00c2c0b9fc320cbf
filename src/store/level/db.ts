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
