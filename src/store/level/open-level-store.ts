/** Opening the default store: LevelDB in a data directory, checked for its lock and layout version. */
import { Level } from 'level';
import { AppError, isAppError } from '../../domain/errors.js';
import type { Store } from '../../domain/ports/store.js';
import type { Db } from './db.js';
import { checkLayout } from './layout.js';
import { LevelStore, messageOf, type LevelStoreHooks } from './level-store.js';

/**
 * `onWrite` (test hook): called after every LevelDB write with the number of ops it carried (group commit merges).
 * `onStatus`: told when writes are suspended after a failure and when a reopen resumed them.
 * `recoveryIntervalMs`: how often a suspended store probes the directory and tries to reopen.
 */
export type LevelStoreOptions = LevelStoreHooks;

/**
 * Opens (creating if missing) the store in `dir`. Fails with `store-locked` when another store holds the directory,
 * in this process or another; `store-layout-mismatch` when the data was written for another layout version;
 * `store-unavailable` for anything else, with LevelDB's reason.
 */
export async function openLevelStore(dir: string, options: LevelStoreOptions = {}): Promise<Store> {
  return new LevelStore(await openDb(dir), dir, () => openDb(dir), options);
}

async function openDb(dir: string): Promise<Db> {
  const db: Db = new Level<string, string>(dir, { valueEncoding: 'utf8' });
  try {
    await db.open();
  } catch (e) {
    throw openFailed(dir, e);
  }
  try {
    await checkLayout(db, dir);
  } catch (e) {
    await db.close();
    throw isAppError(e) ? e : openFailed(dir, e);
  }
  return db;
}

/** LevelDB wraps the reason it could not open in `cause`: LEVEL_LOCKED when another handle holds the LOCK file. */
function openFailed(dir: string, e: unknown): AppError {
  const cause: unknown = (e as { cause?: unknown } | null)?.cause ?? e;
  if ((cause as { code?: unknown } | null)?.code === 'LEVEL_LOCKED') {
    return new AppError('store-locked', `data directory ${dir} is in use by another livechatd process`, { dir });
  }
  return new AppError('store-unavailable', `data directory ${dir} cannot be opened: ${messageOf(cause)}`, { dir });
}
