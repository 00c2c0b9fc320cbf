/**
 * The in-memory driver of the store port, for tests. It keeps the level driver's semantics: the same validation
 * (shared code), keys in LevelDB's byte order, values stored as JSON text so callers get copies in and out, and
 * the same close behaviour. Writes apply synchronously, so a batch is trivially atomic.
 */
import {
  COLLECTIONS,
  type BatchOp,
  type Collection,
  type RangeOptions,
  type Store,
} from '../../domain/ports/store.js';
import { checkRange } from '../shared/range-bounds.js';
import { checkBatch, checkCollection, checkKey, checkKeys, closedError, decodeValue } from '../shared/validate.js';
import { SortedMap } from './sorted-map.js';

export function createMemoryStore(): Store {
  return new MemoryStore();
}

class MemoryStore implements Store {
  readonly #collections = Object.fromEntries(COLLECTIONS.map((c) => [c, new SortedMap()])) as Record<
    Collection,
    SortedMap
  >;
  #closed = false;

  get ready(): boolean {
    return !this.#closed;
  }

  async get<T>(collection: Collection, key: string): Promise<T | undefined> {
    const map = this.#collection(collection);
    checkKey(key);
    return decodeIfPresent<T>(map.get(key));
  }

  async has(collection: Collection, key: string): Promise<boolean> {
    const map = this.#collection(collection);
    checkKey(key);
    return map.get(key) !== undefined;
  }

  async getMany<T>(collection: Collection, keys: readonly string[]): Promise<(T | undefined)[]> {
    const map = this.#collection(collection);
    checkKeys(keys);
    return keys.map((key) => decodeIfPresent<T>(map.get(key)));
  }

  put(collection: Collection, key: string, value: unknown): Promise<void> {
    return this.batch([{ type: 'put', collection, key, value }]);
  }

  del(collection: Collection, key: string): Promise<void> {
    return this.batch([{ type: 'del', collection, key }]);
  }

  /** Every op is validated before the first is applied, so a bad op leaves the store untouched. */
  async batch(ops: readonly BatchOp[]): Promise<void> {
    if (this.#closed) throw closedError();
    for (const op of checkBatch(ops)) {
      const map = this.#collections[op.collection];
      if (op.type === 'put') map.set(op.key, op.json);
      else map.delete(op.key);
    }
  }

  async *range<T>(collection: Collection, options?: RangeOptions): AsyncGenerator<[key: string, value: T]> {
    const map = this.#collection(collection);
    for (const [key, json] of map.range(checkRange(options))) {
      if (this.#closed) throw closedError();
      yield [key, decodeValue<T>(json)];
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #collection(collection: Collection): SortedMap {
    if (this.#closed) throw closedError();
    checkCollection(collection);
    return this.#collections[collection];
  }
}

function decodeIfPresent<T>(json: string | undefined): T | undefined {
  return json === undefined ? undefined : decodeValue<T>(json);
}
