/**
 * The LevelDB driver of the store port: one sublevel per collection, values stored as JSON text, every write
 * through group commit. Reads go straight to LevelDB.
 *
 * A failed write (disk full, I/O error) suspends writing: every later write is refused with `store-unavailable`
 * until the store has been reopened (recovery.ts says why a reopen, and when), while reads keep being served from
 * the open database. `ready` is false meanwhile, so /readyz takes the daemon out of rotation.
 */
import { AppError, isAppError } from '../../domain/errors.js';
import {
  COLLECTIONS,
  type BatchOp,
  type Collection,
  type RangeOptions,
  type Store,
} from '../../domain/ports/store.js';
import { sublevelOf, writePrepared, type Db, type LevelOp, type Sublevel } from './db.js';
import { ExistenceChecks } from './existence-checks.js';
import { GroupCommit } from './group-commit.js';
import { DEFAULT_RECOVERY_INTERVAL_MS, probeWritable, retryEvery } from './recovery.js';
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

/** What a store is told about writes stopping and resuming (the daemon logs it). */
export type StoreStatus = { writable: false; reason: string } | { writable: true };

export interface LevelStoreHooks {
  /** Told the op count of every LevelDB write, so tests can see group commit merge. */
  onWrite?: (opCount: number) => void;
  onStatus?: (status: StoreStatus) => void;
  recoveryIntervalMs?: number;
}

export class LevelStore implements Store {
  #db: Db;
  #collections!: Record<Collection, Sublevel>;
  readonly #writes: GroupCommit<LevelOp>;
  readonly #existence = new ExistenceChecks(async (keys) => {
    if (this.#reopening) await this.#reopening; // the checks wait for a reopen, including one begun after they were asked
    return this.#db.hasMany(keys);
  });
  #closing: Promise<void> | undefined;
  /** Why writes are suspended (LevelDB's reason, for the log); undefined while they are accepted. */
  #suspended: string | undefined;
  #recovery: { stop(): void } | undefined;
  /** Settles when a reopen in progress has finished (successfully or not); reads wait for it. */
  #reopening: Promise<void> | undefined;

  constructor(
    db: Db,
    private readonly dir: string,
    private readonly openDb: () => Promise<Db>,
    private readonly hooks: LevelStoreHooks = {},
  ) {
    this.#db = db;
    this.#attach(db);
    this.#writes = new GroupCommit(async (ops) => {
      // A group queued behind a failed one must not reach the log either: it would land behind the torn record.
      if (this.#suspended !== undefined) throw suspendedError();
      try {
        await writePrepared(this.#db, ops, WRITE_OPTIONS);
      } catch (e) {
        this.#suspend(messageOf(e));
        throw e;
      }
      hooks.onWrite?.(ops.length);
    });
  }

  get ready(): boolean {
    return this.#closing === undefined && this.#suspended === undefined;
  }

  /**
   * A point read runs on this thread (`getSync`): what the daemon reads by key (visitors, rooms, messages) was
   * written recently and sits in LevelDB's memtable or block cache, so the read takes a microsecond or two; the
   * asynchronous `get` spends about fifteen on its round trip through the thread pool. Ranges and `getMany` stay
   * asynchronous: they may touch many blocks. Keys that are usually absent are asked about with `has`.
   */
  async get<T>(collection: Collection, key: string): Promise<T | undefined> {
    if (this.#reopening) await this.#reopening;
    const sublevel = this.#sublevel(collection);
    checkKey(key);
    let json: string | undefined;
    try {
      json = sublevel.getSync(key);
    } catch (e) {
      this.#readFailed(e);
    }
    return json === undefined ? undefined : decodeValue<T>(json);
  }

  /** See ExistenceChecks for why this is not `get`. */
  async has(collection: Collection, key: string): Promise<boolean> {
    const prefix = this.#sublevel(collection).prefix;
    checkKey(key);
    return this.#existence.has(prefix + key).catch((e: unknown) => this.#readFailed(e));
  }

  async getMany<T>(collection: Collection, keys: readonly string[]): Promise<(T | undefined)[]> {
    await this.#reopening;
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
    if (this.#suspended !== undefined) throw suspendedError();
    // Accepted writes complete even if close() is called meanwhile, so a failure here is never "closed".
    await this.#writes.submit(levelOps).catch(() => {
      throw suspendedError(); // LevelDB's reason names files of the data directory: it goes to the log, not to clients
    });
  }

  /** Streams from a LevelDB iterator, which reads ahead in small chunks: memory use does not grow with the range. */
  async *range<T>(collection: Collection, options?: RangeOptions): AsyncGenerator<[key: string, value: T]> {
    await this.#reopening;
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
    this.#recovery?.stop();
    this.#closing ??= Promise.resolve(this.#reopening)
      .then(() => this.#writes.drain())
      .then(() => (this.#db.status === 'open' ? this.#db.close() : undefined));
    return this.#closing;
  }

  #attach(db: Db): void {
    this.#db = db;
    this.#collections = Object.fromEntries(COLLECTIONS.map((c) => [c, sublevelOf(db, c)])) as Record<Collection, Sublevel>;
  }

  #suspend(reason: string): void {
    if (this.#suspended !== undefined || this.#closing) return;
    this.#suspended = reason;
    this.hooks.onStatus?.({ writable: false, reason });
    this.#recovery = retryEvery(this.hooks.recoveryIntervalMs ?? DEFAULT_RECOVERY_INTERVAL_MS, () => this.#recover());
  }

  /** One recovery attempt: throws (and is tried again later) unless the directory is writable and the reopen worked. */
  async #recover(): Promise<void> {
    if (this.#closing) return;
    await probeWritable(this.dir);
    if (this.#closing) return; // close() ran during the probe; from here on it waits for #reopening instead
    const reopened = (async () => {
      await this.#writes.drain(); // nothing is accepted meanwhile, so this is the last group (failed) settling
      if (this.#db.status === 'open') await this.#db.close();
      this.#attach(await this.openDb());
    })();
    this.#reopening = reopened.then(ignore, ignore);
    try {
      await reopened;
    } finally {
      this.#reopening = undefined;
    }
    if (this.#closing) return;
    this.#suspended = undefined;
    this.#recovery = undefined;
    this.hooks.onStatus?.({ writable: true });
  }

  #sublevel(collection: Collection): Sublevel {
    if (this.#closing) throw closedError();
    checkCollection(collection);
    return this.#collections[collection];
  }

  /**
   * An op on the root database with the sublevel's prefix already on the key: the same bytes on disk as the
   * sublevel would write, without abstract-level re-encoding and re-prefixing every op of every batch (a
   * measurable share of a message's cost). Reads still go through the sublevels.
   */
  #toLevelOp(op: CheckedOp): LevelOp {
    const key = this.#collections[op.collection].prefix + op.key;
    return op.type === 'put' ? { type: 'put', key, value: op.json } : { type: 'del', key };
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

function suspendedError(): AppError {
  return new AppError('store-unavailable', 'store: the data directory cannot be written right now; nothing was saved, try again later');
}

function ignore(): void {}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
