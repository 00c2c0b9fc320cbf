/**
 * Holds the active configuration snapshot and runs reloads through one serialized pipeline:
 * read → hash (unchanged: no-op) → parse → validate → compile → commit. Until commit nothing changes; commit is
 * one swap of an immutable snapshot, so a reader that took `current()` sees one consistent config throughout.
 *
 * Invariant: at most one reload runs at a time. Requests arriving while one runs collapse into a single
 * follow-up run, which sees every change made before it started.
 *
 * reload() never rejects: its callers are fire-and-forget (SIGHUP, the file watcher), where a rejection would be
 * unhandled and end the process. Every attempt ends in an outcome that is reported through onOutcome.
 */
import { formatIssue, type ConfigSnapshot } from './index.js';
import { OffThreadLoader } from './off-thread.js';

export type ReloadOutcome =
  /** `applyError`: the snapshot is committed, but moving the live state to it (onCommit) failed. */
  | { outcome: 'applied'; hash: string; generation: number; applyError?: string }
  | { outcome: 'unchanged'; hash: string; generation: number }
  | { outcome: 'refused'; errors: string[] };

export interface ConfigState {
  readonly config: ConfigSnapshot;
  readonly generation: number;
  readonly loadedAt: Date;
  readonly lastError: readonly string[] | null;
}

export interface CoordinatorOptions {
  /** The file or directory the snapshot came from; without it reload() refuses. */
  path?: string;
  env?: Record<string, string | undefined>;
  /** Called after a snapshot is committed, with its generation; errors are reported but cannot undo the commit. */
  onCommit?: (next: ConfigSnapshot, previous: ConfigSnapshot, generation: number) => void | Promise<void>;
  /** Called after every attempt, for metrics and logs, with how long the attempt took. */
  onOutcome?: (outcome: ReloadOutcome, state: ConfigState, seconds: number) => void;
  /** Where failures that are not configuration errors (onCommit, onOutcome threw) are logged; default stderr. */
  logger?: ErrorLogger;
}

/** The part of a pino logger the coordinator uses. */
export interface ErrorLogger {
  error(details: Record<string, unknown>, message: string): void;
}

const stderrLogger: ErrorLogger = {
  error: (details, message) => process.stderr.write(`${JSON.stringify({ level: 'error', ...details, msg: message })}\n`),
};

export class ConfigCoordinator {
  /** Reloads parse and check on a worker thread, so chats are not held up while a large configuration loads. */
  readonly #loader = new OffThreadLoader();
  #state: ConfigState;
  #running: Promise<ReloadOutcome> | null = null;
  #queued: Promise<ReloadOutcome> | null = null;

  constructor(
    initial: ConfigSnapshot,
    private readonly options: CoordinatorOptions = {},
  ) {
    this.#state = Object.freeze({ config: initial, generation: 1, loadedAt: new Date(), lastError: null });
  }

  current(): ConfigSnapshot {
    return this.#state.config;
  }

  state(): ConfigState {
    return this.#state;
  }

  /** Stops the worker thread of reloads (a later reload would start another). */
  close(): Promise<void> {
    return this.#loader.close();
  }

  reload(): Promise<ReloadOutcome> {
    if (!this.#running) {
      this.#running = this.#run().finally(() => (this.#running = null));
      return this.#running;
    }
    // A reload is in flight: it may have read the files before the change that prompted this call, so one more
    // run is needed — but only one, however many calls arrive meanwhile.
    this.#queued ??= this.#running.then(() => {
      this.#queued = null;
      return this.reload();
    });
    return this.#queued;
  }

  async #run(): Promise<ReloadOutcome> {
    const started = performance.now();
    let outcome: ReloadOutcome;
    try {
      outcome = await this.#attempt();
    } catch (err) {
      // Not a configuration error (those are values): a bug or an I/O failure the reader did not expect.
      outcome = this.#refuse([`reload failed: ${messageOf(err)}`]);
    }
    try {
      this.options.onOutcome?.(outcome, this.#state, (performance.now() - started) / 1000);
    } catch (err) {
      this.#log().error({ err: messageOf(err) }, 'reporting the reload outcome failed');
    }
    return outcome;
  }

  async #attempt(): Promise<ReloadOutcome> {
    const { path, env } = this.options;
    if (!path) return this.#refuse(['no configuration path to reload from']);
    // A file that became empty on a live system is a save in progress or a failed deploy, never the intent; one that
    // was empty already (a placeholder of comments) may stay so.
    const result = await this.#loader.load(path, { ...(env && { env }), refuseEmpty: { allowed: this.#state.config.emptySources } });
    if (!result.ok) return this.#refuse(result.errors.map(formatIssue));
    const previous = this.#state.config;
    const next = result.config;
    if (next.hash === previous.hash) {
      // The files are valid and serving again (say, a bad save was reverted): the last attempt succeeded, as the
      // success metric says, so the error of an earlier refusal is no longer current.
      if (this.#state.lastError !== null) this.#state = Object.freeze({ ...this.#state, lastError: null });
      return { outcome: 'unchanged', hash: next.hash, generation: this.#state.generation };
    }
    const restart = staticChanges(previous, next);
    if (restart.length > 0) return this.#refuse(restart.map((key) => `restart required: server.${key} changed`));
    this.#state = Object.freeze({
      config: next,
      generation: this.#state.generation + 1,
      loadedAt: new Date(),
      lastError: null,
    });
    const generation = this.#state.generation;
    try {
      await this.options.onCommit?.(next, previous, generation);
    } catch (err) {
      // The swap cannot be undone (requests already read the new snapshot), so the reload stays applied; the
      // failure is kept where operators look (lastError, the log) instead of escaping to the caller.
      const applyError = `configuration ${next.hash.slice(0, 12)} committed, but applying it to the running chats failed: ${messageOf(err)}`;
      this.#log().error({ hash: next.hash.slice(0, 12), generation }, applyError);
      this.#state = Object.freeze({ ...this.#state, lastError: Object.freeze([applyError]) });
      return { outcome: 'applied', hash: next.hash, generation, applyError };
    }
    return { outcome: 'applied', hash: next.hash, generation };
  }

  #log(): ErrorLogger {
    return this.options.logger ?? stderrLogger;
  }

  #refuse(errors: string[]): ReloadOutcome {
    this.#state = Object.freeze({ ...this.#state, lastError: Object.freeze(errors) });
    return { outcome: 'refused', errors };
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** `server.*` keys are bound at start (sockets, data directory); changing them needs a restart. */
function staticChanges(previous: ConfigSnapshot, next: ConfigSnapshot): string[] {
  const a = previous.server as Record<string, unknown>;
  const b = next.server as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}
