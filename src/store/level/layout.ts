/**
 * The layout version stamp: `meta/layoutVersion`, written when a store is created. A build refuses to open data
 * it would misread (another version, or data livechatd did not stamp) instead of corrupting it.
 */
import { AppError } from '../../domain/errors.js';
import { STORE_LAYOUT_VERSION } from '../../domain/ports/store.js';
import { sublevelOf, type Db } from './db.js';
import { decodeValue, encodeValue } from '../shared/validate.js';

const LAYOUT_KEY = 'layoutVersion';

/** Stamps an empty store; otherwise throws `store-layout-mismatch` unless the stamp is this build's version. */
export async function checkLayout(db: Db, dir: string): Promise<void> {
  const meta = sublevelOf(db, 'meta');
  const stamp = await meta.get(LAYOUT_KEY);
  if (stamp === undefined) {
    if (await isEmpty(db)) return meta.put(LAYOUT_KEY, encodeValue(STORE_LAYOUT_VERSION));
    throw new AppError(
      'store-layout-mismatch',
      `data directory ${dir} holds data without a store layout version, so livechatd did not create it ` +
        `(this build reads layout version ${STORE_LAYOUT_VERSION}); set server.dataDir to an empty directory ` +
        `or to one created by livechatd`,
      { dir, expected: STORE_LAYOUT_VERSION },
    );
  }
  const found = decodeValue<unknown>(stamp);
  if (found === STORE_LAYOUT_VERSION) return;
  throw new AppError(
    'store-layout-mismatch',
    `data directory ${dir} has store layout version ${JSON.stringify(found)}, but this build reads layout version ` +
      `${STORE_LAYOUT_VERSION}; run the livechatd release that wrote it, or set server.dataDir to another directory`,
    { dir, found, expected: STORE_LAYOUT_VERSION },
  );
}

async function isEmpty(db: Db): Promise<boolean> {
  const anyKey = await db.keys({ limit: 1 }).all();
  return anyKey.length === 0;
}
