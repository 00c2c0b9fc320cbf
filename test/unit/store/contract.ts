/**
 * The store contract: what every driver of the store port must do. Each driver's test file calls
 * `storeContract(open)`; `open` returns a fresh, empty store for every test, which the suite closes afterwards.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isAppError, type ErrorCode } from '../../../src/domain/errors.js';
import {
  messageKey,
  roomMessageRange,
  type BatchOp,
  type Collection,
  type RangeOptions,
  type Store,
} from '../../../src/domain/ports/store.js';

export function storeContract(open: () => Promise<Store>): void {
  let store: Store;

  beforeEach(async () => {
    store = await open();
  });

  afterEach(async () => {
    await store.close();
  });

  const keysOf = async (collection: Collection, options?: RangeOptions): Promise<string[]> => {
    const keys: string[] = [];
    for await (const [key] of store.range(collection, options)) keys.push(key);
    return keys;
  };

  const putAll = (collection: Collection, keys: readonly string[]): Promise<void> =>
    store.batch(keys.map((key) => ({ type: 'put', collection, key, value: key })));

  describe('get, put, del, getMany', () => {
    it('returns what was put, and undefined for absent keys', async () => {
      await store.put('rooms', 'r1', { _id: 'r1', open: true });
      expect(await store.get('rooms', 'r1')).toEqual({ _id: 'r1', open: true });
      expect(await store.get('rooms', 'r2')).toBeUndefined();
    });

    it('overwrites on put and removes on del; deleting an absent key is fine', async () => {
      await store.put('rooms', 'r1', 1);
      await store.put('rooms', 'r1', 2);
      expect(await store.get('rooms', 'r1')).toBe(2);
      await store.del('rooms', 'r1');
      await store.del('rooms', 'never-there');
      expect(await store.get('rooms', 'r1')).toBeUndefined();
    });

    it('keeps collections apart, including ones whose names share a prefix', async () => {
      await store.put('visitors', 'k', 'visitor');
      await store.put('visitorIds', 'k', 'id');
      expect(await store.get('visitors', 'k')).toBe('visitor');
      expect(await store.get('rooms', 'k')).toBeUndefined();
      expect(await keysOf('visitors')).toEqual(['k']);
    });

    it('accepts the empty string as a key, and any JSON value', async () => {
      await store.put('counters', '', 0);
      await store.put('counters', 'null', null);
      expect(await store.get('counters', '')).toBe(0);
      expect(await store.get('counters', 'null')).toBeNull();
    });

    it('has tells present keys from absent ones, per collection, after puts and dels', async () => {
      await store.put('messageIds', 'm1', 'r!1');
      await store.put('messageIds', 'gone', 'r!2');
      await store.del('messageIds', 'gone');
      const answers = await Promise.all(['m1', 'gone', 'never'].map((key) => store.has('messageIds', key)));
      expect(answers).toEqual([true, false, false]);
      expect(await store.has('rooms', 'm1')).toBe(false);
      await store.put('counters', 'null', null);
      expect(await store.has('counters', 'null')).toBe(true);
      await expectCode(store.has('nope' as Collection, 'm1'), 'invalid-params');
    });

    it('getMany returns values in the order of the keys asked for, undefined where absent', async () => {
      await putAll('rooms', ['a', 'b']);
      expect(await store.getMany('rooms', ['b', 'missing', 'a', 'b'])).toEqual(['b', undefined, 'a', 'b']);
      expect(await store.getMany('rooms', [])).toEqual([]);
    });
  });

  describe('batch', () => {
    it('applies puts and dels across collections together', async () => {
      await store.put('outbox', 'old', 1);
      await store.batch([
        { type: 'put', collection: 'rooms', key: 'r1', value: { open: false } },
        { type: 'put', collection: 'outbox', key: 'w1', value: { event: 'LivechatSession' } },
        { type: 'del', collection: 'outbox', key: 'old' },
      ]);
      expect(await store.get('rooms', 'r1')).toEqual({ open: false });
      expect(await keysOf('outbox')).toEqual(['w1']);
    });

    it('resolves an empty batch', async () => {
      await expect(store.batch([])).resolves.toBeUndefined();
    });

    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const badOps: [string, unknown][] = [
      ['an unknown collection', { type: 'put', collection: 'nope', key: 'k', value: 1 }],
      ['an undefined value', { type: 'put', collection: 'rooms', key: 'k', value: undefined }],
      ['a function value', { type: 'put', collection: 'rooms', key: 'k', value: () => 1 }],
      ['a BigInt in the value', { type: 'put', collection: 'rooms', key: 'k', value: { n: 1n } }],
      ['a cyclic value', { type: 'put', collection: 'rooms', key: 'k', value: cyclic }],
      ['a non-string key', { type: 'put', collection: 'rooms', key: 42, value: 1 }],
      ['a key with an unpaired surrogate', { type: 'del', collection: 'rooms', key: 'a\uD800' }],
      ['an unknown op type', { type: 'merge', collection: 'rooms', key: 'k', value: 1 }],
      ['a null op', null],
    ];

    it.each(badOps)('writes nothing when one op has %s', async (_, bad) => {
      await store.put('rooms', 'existing', 'before');
      const ops = [
        { type: 'put', collection: 'rooms', key: 'good', value: 1 },
        { type: 'del', collection: 'rooms', key: 'existing' },
        bad,
      ] as BatchOp[];
      await expectCode(store.batch(ops), 'invalid-params');
      expect(await store.get('rooms', 'good')).toBeUndefined();
      expect(await store.get('rooms', 'existing')).toBe('before');
    });

    it('rejects bad put and del calls the same way', async () => {
      await expectCode(store.put('rooms', 'k', undefined), 'invalid-params');
      await expectCode(store.del('nope' as Collection, 'k'), 'invalid-params');
      expect(await keysOf('rooms')).toEqual([]);
    });

    it('keeps batches issued in one tick atomic and isolated from a bad sibling', async () => {
      const results = await Promise.allSettled([
        store.batch([
          { type: 'put', collection: 'rooms', key: 'r1', value: 1 },
          { type: 'put', collection: 'messages', key: messageKey('r1', 1), value: 'hi' },
        ]),
        store.batch([
          { type: 'put', collection: 'rooms', key: 'r2', value: 2 },
          { type: 'put', collection: 'rooms', key: 'r2-bad', value: undefined },
        ]),
        store.put('rooms', 'r3', 3),
        store.del('rooms', 'r1-never'),
      ]);
      expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect(await keysOf('rooms')).toEqual(['r1', 'r3']);
      expect(await store.get('messages', messageKey('r1', 1))).toBe('hi');
    });

    it('applies same-tick writes to one key in the order they were issued', async () => {
      await Promise.all([store.put('counters', 'c', 1), store.put('counters', 'c', 2), store.del('counters', 'd')]);
      expect(await store.get('counters', 'c')).toBe(2);
    });
  });

  describe('range', () => {
    beforeEach(async () => {
      await putAll('rooms', ['a', 'b', 'c', 'd', 'e']);
      await putAll('offline', ['a', 'z']); // a neighbour collection that must not leak in
    });

    it('yields [key, value] pairs in key order', async () => {
      const entries: [string, unknown][] = [];
      for await (const entry of store.range('rooms')) entries.push(entry);
      expect(entries).toEqual([
        ['a', 'a'],
        ['b', 'b'],
        ['c', 'c'],
        ['d', 'd'],
        ['e', 'e'],
      ]);
    });

    it.each<[RangeOptions, string]>([
      [{ gt: 'b' }, 'cde'],
      [{ gte: 'b' }, 'bcde'],
      [{ lt: 'd' }, 'abc'],
      [{ lte: 'd' }, 'abcd'],
      [{ gt: 'a', lt: 'e' }, 'bcd'],
      [{ gte: 'bb', lte: 'cc' }, 'c'],
      [{ gte: 'a', gt: 'b' }, 'cde'], // every bound applies: the tighter one wins
      [{ gt: 'c', gte: 'c' }, 'de'],
      [{ lte: 'd', lt: 'c' }, 'ab'],
      [{ gte: 'd', lt: 'b' }, ''],
      [{ reverse: true }, 'edcba'],
      [{ limit: 2 }, 'ab'],
      [{ limit: 0 }, ''],
      [{ reverse: true, limit: 2 }, 'ed'],
      [{ lt: 'd', reverse: true, limit: 2 }, 'cb'],
    ])('%j selects %j', async (options, expected) => {
      expect((await keysOf('rooms', options)).join('')).toBe(expected);
    });

    it('can stop early', async () => {
      const seen: string[] = [];
      for await (const [key] of store.range('rooms')) {
        seen.push(key);
        if (key === 'b') break;
      }
      expect(seen).toEqual(['a', 'b']);
    });

    it.each<[string, RangeOptions]>([
      ['a negative limit', { limit: -1 }],
      ['a fractional limit', { limit: 1.5 }],
      ['a non-string bound', { gt: 1 as unknown as string }],
    ])('rejects %s', async (_, options) => {
      await expectCode(keysOf('rooms', options), 'invalid-params');
    });

    it("orders keys by their UTF-8 bytes, like LevelDB's default comparator", async () => {
      const keys = ['b', 'B', '', 'a!', 'a', '~', '\u00e9', '\uE000', '\uFFFD', 'a\uFFFD'];
      keys.push('\u{1F600}', '\u{10FFFF}', 'a\u{1F600}'); // above U+FFFF: where UTF-16 order differs
      await putAll('pages', keys);
      const byUtf8Bytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
      expect(await keysOf('pages')).toEqual(byUtf8Bytes);
      expect(await keysOf('pages', { gt: '\uFFFD' })).toEqual(['\u{1F600}', '\u{10FFFF}']);
    });
  });

  describe('message keys', () => {
    it('sort by seq within a room: 9 before 10', async () => {
      await putAll('messages', [messageKey('r', 10), messageKey('r', 9), messageKey('r', 100)]);
      expect(await keysOf('messages')).toEqual([messageKey('r', 9), messageKey('r', 10), messageKey('r', 100)]);
    });

    it('roomMessageRange selects exactly one room, even when another room id starts with it', async () => {
      const mine = [messageKey('room1', 1), messageKey('room1', 2)];
      await putAll('messages', [...mine, messageKey('room', 1), messageKey('room10', 1), messageKey('room1x', 1)]);
      expect(await keysOf('messages', roomMessageRange('room1'))).toEqual(mine);
      expect(await keysOf('messages', { ...roomMessageRange('room1'), gt: mine[0] })).toEqual([mine[1]]);
    });
  });

  describe('values', () => {
    it('are copies in and out', async () => {
      type Room = { tags: string[] };
      const room: Room = { tags: ['a'] };
      await store.put('rooms', 'r', room);
      room.tags.push('changed after put');
      (await store.get<Room>('rooms', 'r'))?.tags.push('changed after get');
      (await store.getMany<Room>('rooms', ['r']))[0]?.tags.push('changed after getMany');
      for await (const [, fromRange] of store.range<Room>('rooms')) fromRange.tags.push('changed after range');
      expect(await store.get('rooms', 'r')).toEqual({ tags: ['a'] });
    });

    it('round-trip through JSON', async () => {
      await store.put('rooms', 'r', { ts: new Date(0), gone: undefined, list: [undefined] });
      expect(await store.get('rooms', 'r')).toStrictEqual({ ts: '1970-01-01T00:00:00.000Z', list: [null] });
    });
  });

  describe('close', () => {
    it('is reflected by ready', async () => {
      expect(store.ready).toBe(true);
      const closing = store.close();
      expect(store.ready).toBe(false);
      await closing;
      expect(store.ready).toBe(false);
    });

    it('fails every later operation with store-closed', async () => {
      await store.put('rooms', 'r', 1);
      await store.close();
      await expectCode(store.get('rooms', 'r'), 'store-closed');
      await expectCode(store.getMany('rooms', ['r']), 'store-closed');
      await expectCode(store.has('rooms', 'r'), 'store-closed');
      await expectCode(store.put('rooms', 'r', 2), 'store-closed');
      await expectCode(store.del('rooms', 'r'), 'store-closed');
      await expectCode(store.batch([]), 'store-closed');
      await expectCode(keysOf('rooms'), 'store-closed');
    });

    it('fails a range that is still being read with store-closed', async () => {
      await putAll('rooms', ['a', 'b', 'c']);
      const iterator = store.range('rooms')[Symbol.asyncIterator]();
      expect((await iterator.next()).value).toEqual(['a', 'a']);
      await store.close();
      await expectCode(iterator.next(), 'store-closed');
    });

    it('waits for writes already accepted, and is idempotent', async () => {
      const settled: string[] = [];
      const write = store.put('rooms', 'r', 1).then(() => settled.push('write'));
      const first = store.close().then(() => settled.push('close'));
      await Promise.all([write, first, store.close()]);
      await store.close();
      expect(settled).toEqual(['write', 'close']);
    });
  });
}

/** Awaits `promise` and checks it rejected with an AppError of `code`. */
export async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isAppError(error, code), `expected AppError ${code}, got ${String(error)}`).toBe(true);
}
