/**
 * The LevelDB driver of the store port: one sublevel per collection, values stored as JSON text, every write
 * through group commit. Reads go straight to LevelDB.
 */
import { AppError, isAppError } from '../../domain/errors.js';
import {
  COLLECTIONS,
  type BatchOp,
  type Collection,
  type RangeOptions,
  type Store,
} from '../../domain/ports/store.js';
import { sublevelOf, type Db, type LevelOp, type Sublevel } from './db.js';
import { GroupCommit } from './group-commit.js';
import { checkRange, type Bounds } from '../shared/range-bounds.js';
import {
  checkBatch,
  checkCollection,
  checkKey,
  checkKeys,
  closedError,
  decodeValue,
  type CheckedOp,
} from '../shared/validate.js';

/**
 * `sync: false`: a write returns once LevelDB has appended it to its log with write(2), without fsync. The log is
 * then in the OS page cache, which outlives the process, so kill -9 at any moment loses nothing acknowledged: the
 * guarantee DESIGN.md asks for. A power loss or kernel crash can lose the last writes; covering that needs
 * `sync: true`, one fsync per group, which would cap chat throughput at the disk's flush rate.
 */
const WRITE_OPTIONS = { sync: false } as const;

export class LevelStore implements Store {
  readonly #db: Db;
  readonly #collections: Record<Collection, Sublevel>;
  readonly #writes: GroupCommit<LevelOp>;
  #closing: Promise<void> | undefined;

  /** `onWrite` is told the op count of every LevelDB write, so tests can see group commit merge. */
  constructor(db: Db, onWrite?: (opCount: number) => void) {
    this.#db = db;
    this.#collections = Object.fromEntries(COLLECTIONS.map((c) => [c, sublevelOf(db, c)])) as Record<
      Collection,
      Sublevel
    >;
    this.#writes = new GroupCommit(async (ops) => {
      await db.batch(ops, WRITE_OPTIONS);
      onWrite?.(ops.length);
    });
  }

  get ready(): boolean {
    return this.#closing === undefined;
  }

  async get<T>(collection: Collection, key: string): Promise<T | undefined> {
    const sublevel = this.#sublevel(collection);
    checkKey(key);
    const json = await sublevel.get(key).catch((e: unknown) => this.#readFailed(e));
    return json === undefined ? undefined : decodeValue<T>(json);
  }

  async getMany<T>(collection: Collection, keys: readonly string[]): Promise<(T | undefined)[]> {
    const sublevel = this.#sublevel(collection);
    checkKeys(keys);
    const found = await sublevel.getMany([...keys]).catch((e: unknown) => this.#readFailed(e));
    return found.map((json) => (json === undefined ? undefined : decodeValue<T>(json)));
  }

  put(collection: Collection, key: string, value: unknown): Promise<void> {
    return this.batch([{ type: 'put', collection, key, value }]);
  }

  del(collection: Collection, key: string): Promise<void> {
    return this.batch([{ type: 'del', collection, key }]);
  }

  async batch(ops: readonly BatchOp[]): Promise<void> {
    if (this.#closing) throw closedError();
    const levelOps = checkBatch(ops).map((op) => this.#toLevelOp(op));
    if (levelOps.length === 0) return;
    // Accepted writes complete even if close() is called meanwhile, so a failure here is never "closed".
    await this.#writes.submit(levelOps).catch((e: unknown) => {
      throw new AppError('store-unavailable', `store: write failed: ${messageOf(e)}`);
    });
  }

  /** Streams from a LevelDB iterator, which reads ahead in small chunks: memory use does not grow with the range. */
  async *range<T>(collection: Collection, options?: RangeOptions): AsyncGenerator<[key: string, value: T]> {
    const sublevel = this.#sublevel(collection);
    const iterator = sublevel.iterator(toLevelRange(checkRange(options)));
    try {
      for await (const [key, json] of iterator) {
        if (this.#closing) throw closedError();
        yield [key, decodeValue<T>(json)];
      }
    } catch (e) {
      if (isAppError(e)) throw e;
      this.#readFailed(e);
    }
  }

  /** Waits for every accepted write, then closes LevelDB. Later calls return the same promise. */
  close(): Promise<void> {
    this.#closing ??= this.#writes.drain().then(() => this.#db.close());
    return this.#closing;
  }

  #sublevel(collection: Collection): Sublevel {
    if (this.#closing) throw closedError();
    checkCollection(collection);
    return this.#collections[collection];
  }

  #toLevelOp(op: CheckedOp): LevelOp {
    const sublevel = this.#collections[op.collection];
    return op.type === 'put'
      ? { type: 'put', sublevel, key: op.key, value: op.json }
      : { type: 'del', sublevel, key: op.key };
  }

  /** A read that fails because close() was called meanwhile reports `store-closed`, like one started after. */
  #readFailed(e: unknown): never {
    if (this.#closing) throw closedError();
    throw new AppError('store-unavailable', `store: read failed: ${messageOf(e)}`);
  }
}

function toLevelRange({ lower, upper, reverse, limit }: Bounds) {
  return {
    ...(lower && { [lower.inclusive ? 'gte' : 'gt']: lower.key }),
    ...(upper && { [upper.inclusive ? 'lte' : 'lt']: upper.key }),
    reverse,
    limit, // LevelDB reads Infinity (not an integer) as "no limit"
  };
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
