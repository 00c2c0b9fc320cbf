/**
 * Existence checks asked during one turn of the event loop, answered by one LevelDB read (`hasMany`).
 *
 * Why not `get`: LevelDB charges a point read that looks into more than one table file to the first file it
 * looked into, and compacts that file into the level below after about a hundred such reads ("seek compaction").
 * The chat hot path asks about keys that are almost always absent — a new message's client id — and an absent
 * key is looked for in every level. With `get`, every table file freshly flushed from the memtable was compacted
 * again within a hundred messages, rewriting the level below each time: at ten thousand messages per second,
 * about one compaction of most of the database per second, on the daemon's CPU. `hasMany` reads through an
 * iterator, which LevelDB charges only for a sample of the bytes it reads (about once per megabyte); asking for a
 * whole turn's keys at once also costs one trip through the thread pool instead of one per key. (Services ask
 * only about ids their in-memory filter cannot rule out, see services/id-filter.ts.)
 *
 * Invariant: a check sees every write whose `batch()` resolved before the check was asked (the read starts later).
 */
export class ExistenceChecks {
  #open: { keys: string[]; found: Promise<boolean[]> } | undefined;

  constructor(private readonly read: (keys: string[]) => Promise<boolean[]>) {}

  has(key: string): Promise<boolean> {
    const group = this.#open ?? this.#openGroup();
    const index = group.keys.push(key) - 1;
    return group.found.then((found) => found[index] === true);
  }

  #openGroup(): { keys: string[]; found: Promise<boolean[]> } {
    const keys: string[] = [];
    const found = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.#open = undefined;
      return this.read(keys);
    });
    this.#open = { keys, found };
    return this.#open;
  }
}
