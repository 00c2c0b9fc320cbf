/**
 * The delivery worker: decides which outbox jobs are delivered when (delivery.ts delivers each one).
 *
 * A pass reads, per webhook, the head of its jobs (keys sort by due time) and claims the due ones while the
 * webhook has fewer than `concurrency` deliveries running; then it sets one timer for the earliest job not yet
 * due. Passes run when the timer fires, when a committed event enqueued jobs, when a delivery ends (a slot is
 * free) and on reloads; never in a loop of their own. Webhooks have separate slots, so a receiver that hangs
 * only ever holds its own; nothing here runs on the path of a chat request.
 *
 * Invariant: a job is run by at most one delivery at a time. Claims are held by job id until the run has ended,
 * and the ids of runs that ended during the current pass are skipped, because that pass may still read their
 * (since deleted or re-keyed) entries.
 */
import { setTimeout as pause } from 'node:timers/promises';
import { bury, deliver, WebhookRemoved, type DeliveryDeps, type Hook } from './delivery.js';
import { freeze } from './freeze.js';
import { jobsOf, webhookOfKey, type DeliveryJob } from './jobs.js';

export interface WorkerDeps extends DeliveryDeps {
  /** Deliveries of one webhook in progress at once (each may be waiting between its attempts). */
  concurrency: number;
}

/** After an unexpected failure (the store, not the receiver) a delivery keeps its slot this long before it ends. */
const COOLDOWN_MS = 5_000;
const MAX_TIMER_MS = 2 ** 31 - 1;

class Stopping extends Error {}

export class DeliveryWorker {
  readonly #claims = new Map<string, { webhook: string; abort: AbortController }>();
  readonly #runs = new Set<Promise<void>>();
  #endedThisPass = new Set<string>();
  #pass: Promise<void> | undefined;
  #again = false;
  #running = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: WorkerDeps) {}

  start(): void {
    this.#running = true;
    this.wake();
  }

  /** Ends every delivery in progress (their jobs stay in the outbox) and waits for them; writes nothing after. */
  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#timer);
    for (const claim of this.#claims.values()) claim.abort.abort(new Stopping('webhook worker stopping'));
    await this.#pass;
    await Promise.allSettled([...this.#runs]);
  }

  /** Asks for a pass. Passes never overlap: a wake during one makes another run right after it. */
  wake(): void {
    if (!this.#running) return;
    this.#again = true;
    this.#pass ??= this.#passes();
  }

  async #passes(): Promise<void> {
    try {
      // `#again` is true on entry, so the loop awaits before `#pass` is cleared: wake() has set it by then.
      while (this.#again && this.#running) {
        this.#again = false;
        await this.#onePass();
      }
    } finally {
      this.#pass = undefined;
    }
  }

  async #onePass(): Promise<void> {
    this.#endedThisPass = new Set(); // runs that ended before this line have their final write durable
    let next: number;
    try {
      next = await this.#scan();
    } catch (err) {
      if (!this.#running) return;
      this.deps.logger.error({ err }, 'webhook worker: reading the outbox failed; trying again shortly');
      next = this.#nowMs() + COOLDOWN_MS;
    }
    this.#schedule(next);
  }

  /** Claims what is due; returns when the next job not yet due is due (Infinity: none known). */
  async #scan(): Promise<number> {
    const hooks = new Map(this.deps.config().webhooks.map((hook) => [hook.id, hook]));
    const now = this.#nowMs();
    let next = Infinity;
    for await (const webhook of this.#webhooksWithJobs()) {
      const hook = hooks.get(webhook);
      if (hook) next = Math.min(next, await this.#fill(hook, now));
      else await this.#retire(webhook);
    }
    return next;
  }

  /** The distinct webhook ids in the outbox: one short read per webhook, skipping over each one's jobs. */
  async *#webhooksWithJobs(): AsyncGenerator<string> {
    let after: string | undefined;
    for (;;) {
      let first: string | undefined;
      for await (const [key] of this.deps.store.range('outbox', { ...(after !== undefined && { gte: after }), limit: 1 })) first = key;
      if (first === undefined) return;
      const webhook = webhookOfKey(first);
      yield webhook;
      after = jobsOf(webhook).lt;
    }
  }

  async #fill(hook: Hook, now: number): Promise<number> {
    const running = this.#runningFor(hook.id);
    let free = this.deps.concurrency - running;
    // Enough entries to get past the running ones and find `free` due jobs plus the first one not due.
    const range = { ...jobsOf(hook.id), limit: running + free + 1 };
    for await (const [key, job] of this.deps.store.range<DeliveryJob>('outbox', range)) {
      if (this.#claims.has(job.id) || this.#endedThisPass.has(job.id)) continue;
      if (job.dueAt > now) return job.dueAt;
      if (free === 0 || !this.#running) break; // a slot that frees up wakes a new pass
      free--;
      this.#claim(hook, key, job);
    }
    return Infinity;
  }

  /**
   * The webhook is gone from the config: its pending jobs become dead letters, never silently dropped. Its
   * deliveries in progress are cut short and bury themselves.
   */
  async #retire(webhook: string): Promise<void> {
    for (const claim of this.#claims.values()) {
      if (claim.webhook === webhook) claim.abort.abort(new WebhookRemoved());
    }
    for await (const [key, job] of this.deps.store.range<DeliveryJob>('outbox', jobsOf(webhook))) {
      if (!this.#running) return;
      if (this.#claims.has(job.id) || this.#endedThisPass.has(job.id)) continue; // running ones bury themselves
      const frozen = await freeze(this.deps.store, job).catch(() => job);
      await bury(this.deps, { key, job: frozen }, 'webhook-removed');
    }
  }

  #claim(hook: Hook, key: string, job: DeliveryJob): void {
    const abort = new AbortController();
    this.#claims.set(job.id, { webhook: hook.id, abort });
    const run: Promise<void> = deliver(this.deps, hook, { key, job }, abort.signal)
      .catch(async (err: unknown) => {
        if (!this.#running) return;
        this.deps.logger.error({ err, webhook: hook.id, webhookId: job.id }, 'webhook delivery broke off; it stays queued');
        await pause(COOLDOWN_MS, undefined, { signal: abort.signal, ref: false }).catch(() => undefined);
      })
      .finally(() => {
        this.#claims.delete(job.id);
        this.#endedThisPass.add(job.id);
        this.#runs.delete(run);
        this.wake();
      });
    this.#runs.add(run);
  }

  #schedule(next: number): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#running || next === Infinity) return;
    this.#timer = setTimeout(() => this.wake(), Math.min(Math.max(0, next - this.#nowMs()), MAX_TIMER_MS));
    this.#timer.unref();
  }

  #runningFor(webhook: string): number {
    let n = 0;
    for (const claim of this.#claims.values()) if (claim.webhook === webhook) n++;
    return n;
  }

  #nowMs(): number {
    return this.deps.now().getTime();
  }
}
