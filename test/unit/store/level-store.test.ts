/** The level driver against real LevelDB in a fresh temp directory per test. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../src/domain/errors.js';
import { STORE_LAYOUT_VERSION, type Store } from '../../../src/domain/ports/store.js';
import { openLevelStore } from '../../../src/store/level/index.js';
import { expectCode, storeContract } from './contract.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'livechatd-store-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('level store', () => {
  storeContract(() => openLevelStore(dir));
});

describe('level store on disk', () => {
  /** Stores opened by a test; closed afterwards whatever the test did (close is idempotent). */
  const opened: Store[] = [];
  const open = async (...args: Parameters<typeof openLevelStore>): Promise<Store> => {
    const store = await openLevelStore(...args);
    opened.push(store);
    return store;
  };

  afterEach(async () => {
    await Promise.all(opened.splice(0).map((store) => store.close()));
  });

  const openError = (path = dir): Promise<AppError> =>
    openLevelStore(path).then(
      () => expect.fail('the store opened'),
      (e: AppError) => e,
    );

  it('keeps data across close and reopen, including writes accepted right before close', async () => {
    const first = await open(dir);
    await first.put('rooms', 'r1', { open: true });
    void first.put('rooms', 'r2', { open: false });
    await first.close();

    const second = await open(dir);
    expect(await second.getMany('rooms', ['r1', 'r2'])).toEqual([{ open: true }, { open: false }]);
    expect(await second.get('meta', 'layoutVersion')).toBe(STORE_LAYOUT_VERSION);
  });

  it('refuses a directory another store holds, and the holder keeps working', async () => {
    const holder = await open(dir);
    const error = await openError();
    expect(error.code).toBe('store-locked');
    expect(error.message).toBe(`data directory ${dir} is in use by another livechatd process`);
    await holder.put('rooms', 'r', 1);
    expect(await holder.get('rooms', 'r')).toBe(1);
  });

  it('refuses a store stamped with another layout version, naming both versions', async () => {
    const store = await open(dir);
    await store.put('meta', 'layoutVersion', STORE_LAYOUT_VERSION + 1);
    await store.close();

    const error = await openError();
    expect(error.code).toBe('store-layout-mismatch');
    expect(error.message).toContain(`layout version ${STORE_LAYOUT_VERSION + 1}`);
    expect(error.message).toContain(`this build reads layout version ${STORE_LAYOUT_VERSION}`);
    // The failed open released the directory: trying again fails on the layout again, not on the lock.
    expect((await openError()).code).toBe('store-layout-mismatch');
  });

  it('refuses a non-empty store without a layout version', async () => {
    const store = await open(dir);
    await store.batch([
      { type: 'put', collection: 'rooms', key: 'r', value: 1 },
      { type: 'del', collection: 'meta', key: 'layoutVersion' },
    ]);
    await store.close();

    const error = await openError();
    expect(error.code).toBe('store-layout-mismatch');
    expect(error.message).toContain('without a store layout version');
  });

  it('reports other open failures as store-unavailable with the reason', async () => {
    const file = join(dir, 'not-a-directory');
    await writeFile(file, '');
    const error = await openError(file);
    expect(error.code).toBe('store-unavailable');
    expect(error.message).toMatch(new RegExp(`^data directory ${file} cannot be opened: .+`));
  });

  it('merges the writes of one tick into one LevelDB write (group commit)', async () => {
    const writes: number[] = [];
    const store = await open(dir, { onWrite: (opCount) => writes.push(opCount) });

    await Promise.all([
      store.put('rooms', 'r1', 1),
      store.del('rooms', 'r0'),
      store.batch([
        { type: 'put', collection: 'messages', key: 'r1!1', value: 'a' },
        { type: 'put', collection: 'rooms', key: 'r1', value: 2 },
      ]),
      expectCode(store.put('rooms', 'bad', undefined), 'invalid-params'),
    ]);
    await store.put('rooms', 'r2', 1);

    expect(writes).toEqual([4, 1]);
  });
});
