/**
 * Holds the active configuration snapshot and runs reloads through one serialized pipeline:
 * read → hash (unchanged: no-op) → parse → validate → compile → commit. Until commit nothing changes; commit is
 * one swap of an immutable snapshot, so a reader that took `current()` sees one consistent config throughout.
 *
 * Invariant: at most one reload runs at a time. Requests arriving while one runs collapse into a single
 * follow-up run, which sees every change made before it started.
 */
import { formatIssue, loadConfig, type ConfigSnapshot } from './index.js';

export type ReloadOutcome =
  | { outcome: 'applied'; hash: string; generation: number }
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
}

export class ConfigCoordinator {
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
    const outcome = await this.#attempt();
    this.options.onOutcome?.(outcome, this.#state, (performance.now() - started) / 1000);
    return outcome;
  }

  async #attempt(): Promise<ReloadOutcome> {
    const { path, env } = this.options;
    if (!path) return this.#refuse(['no configuration path to reload from']);
    const result = await loadConfig(path, env ? { env } : undefined);
    if (!result.ok) return this.#refuse(result.errors.map(formatIssue));
    const previous = this.#state.config;
    const next = result.config;
    if (next.hash === previous.hash) {
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
    await this.options.onCommit?.(next, previous, this.#state.generation);
    return { outcome: 'applied', hash: next.hash, generation: this.#state.generation };
  }

  #refuse(errors: string[]): ReloadOutcome {
    this.#state = Object.freeze({ ...this.#state, lastError: Object.freeze(errors) });
    return { outcome: 'refused', errors };
  }
}

/** `server.*` keys are bound at start (sockets, data directory); changing them needs a restart. */
function staticChanges(previous: ConfigSnapshot, next: ConfigSnapshot): string[] {
  const a = previous.server as Record<string, unknown>;
  const b = next.server as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
  return keys.filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}
