/**
 * Runs async sections one at a time per key (a visitor token, a room id) while different keys run concurrently.
 * Needed where an operation reads the store, decides, and writes: without it two concurrent registrations of
 * one token could both see "absent" and both create a visitor.
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, section: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(section, section);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    // Forget the key once nothing is queued behind this section, so the map does not grow with every visitor.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
