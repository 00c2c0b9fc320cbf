/**
 * Monotonic counters (guest numbers, chat codes) and routing cursors, kept in memory and persisted with the
 * batch that uses them: `next()` hands out a value and the op that records it, synchronously, so two
 * concurrent callers never get the same number.
 */
import type { BatchOp, Store } from '../domain/ports/store.js';

export type CounterName = 'guest' | 'roomCode';

export class Counters {
  readonly #values = new Map<string, unknown>();

  async load(store: Store): Promise<void> {
    for await (const [key, value] of store.range('counters')) this.#values.set(key, value);
  }

  next(name: CounterName): { value: number; op: BatchOp } {
    const value = ((this.#values.get(name) as number | undefined) ?? 0) + 1;
    this.#values.set(name, value);
    return { value, op: { type: 'put', collection: 'counters', key: name, value } };
  }

  /** The username that got the previous chat of a routing pool (`*` for the pool of every agent). */
  cursor(pool: string): string | undefined {
    return this.#values.get(`rr:${pool}`) as string | undefined;
  }

  moveCursor(pool: string, username: string): BatchOp {
    this.#values.set(`rr:${pool}`, username);
    return { type: 'put', collection: 'counters', key: `rr:${pool}`, value: username };
  }
}
