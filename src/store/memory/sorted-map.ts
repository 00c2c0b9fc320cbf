/**
 * One collection of the memory store: a map from key to JSON text plus the keys kept sorted in LevelDB's order, so
 * range() can binary-search its bounds. Insertion is O(n); this store exists for tests.
 */
import { compareKeys } from '../shared/key-order.js';
import type { Bounds } from '../shared/range-bounds.js';

export class SortedMap {
  readonly #values = new Map<string, string>();
  /** Invariant: exactly the keys of #values, sorted by compareKeys. */
  readonly #keys: string[] = [];

  get(key: string): string | undefined {
    return this.#values.get(key);
  }

  set(key: string, json: string): void {
    if (!this.#values.has(key)) this.#keys.splice(this.#indexAfter(key, true), 0, key);
    this.#values.set(key, json);
  }

  delete(key: string): void {
    if (!this.#values.delete(key)) return;
    this.#keys.splice(this.#indexAfter(key, true), 1);
  }

  /** A snapshot of the entries within the bounds, like a LevelDB iterator that reads from a snapshot. */
  range({ lower, upper, reverse, limit }: Bounds): [key: string, json: string][] {
    const start = lower ? this.#indexAfter(lower.key, lower.inclusive) : 0;
    const end = upper ? this.#indexAfter(upper.key, !upper.inclusive) : this.#keys.length;
    const keys = this.#keys.slice(start, Math.max(start, end));
    if (reverse) keys.reverse();
    return keys.slice(0, limit).map((key) => [key, this.#values.get(key) as string]);
  }

  /**
   * The index of the first key after `key`: the first key >= `key` when `inclusive` (where `key` is or would be),
   * else the first key > `key`.
   */
  #indexAfter(key: string, inclusive: boolean): number {
    let low = 0;
    let high = this.#keys.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      const order = compareKeys(this.#keys[mid] as string, key);
      if (order < 0 || (order === 0 && !inclusive)) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}
