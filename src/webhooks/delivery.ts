/**
 * Delivering one claimed job: freeze its payload, then p-retry — the attempts it has left, `intervalSeconds`
 * apart — and finally delete it (delivered) or move it to the dead letters (given up on).
 *
 * Invariants:
 * - Each attempt is persisted before it starts: the count, the due time of the next one and the frozen payload.
 *   A restart, or kill -9 in the middle of an attempt, resumes the job with the attempts already made counted.
 * - A job leaves the outbox only in the batch that delivers it (del) or buries it (del + dead letter put).
 * - The url, secret and time limit are read from the active config at each attempt; the attempt budget and the
 *   interval are fixed when the job is claimed.
 */
import pRetry, { AbortError } from 'p-retry';
import type { ConfigSnapshot, DeepReadonly } from '../config/compile.js';
import type { Webhook } from '../config/schema-types.js';
import type { Store } from '../domain/ports/store.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import { attempt, AttemptFailed } from './attempt.js';
import { buryOps } from './dead-letters.js';
import { freeze } from './freeze.js';
import { jobKey, type DeadLetterReason, type DeliveryJob } from './jobs.js';

export interface DeliveryDeps {
  store: Store;
  config: () => ConfigSnapshot;
  logger: Logger;
  metrics: Metrics;
  now: () => Date;
}

export type Hook = DeepReadonly<Webhook>;

/** A job and the outbox key it is stored under (the key changes with each attempt's due time). */
export interface Held {
  key: string;
  job: DeliveryJob;
}

/** The reason to abort a delivery whose webhook is gone from the config: the job is buried, not left pending. */
export class WebhookRemoved extends Error {}

/**
 * The store refused to record an attempt (disk full, closing): the delivery stops without counting it, and the
 * worker takes the job up again later — a store outage must not use up a receiver's attempts.
 */
class StoreDown extends Error {
  constructor(override readonly cause: unknown) {
    super(`store unavailable: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/**
 * Delivers `claimed` or buries it. `abort` cuts it short: with a `WebhookRemoved` reason the job is buried;
 * with any other (the daemon stopping) it settles without writing and the job stays pending.
 */
export async function deliver(deps: DeliveryDeps, claimedBy: Hook, claimed: Held, abort: AbortSignal): Promise<void> {
  const total = claimedBy.retry.attempts;
  const interval = claimedBy.retry.intervalSeconds * 1000;
  let held: Held = { key: claimed.key, job: await freeze(deps.store, claimed.job) };
  if (held.job.attempts >= total) return bury(deps, held, 'attempts-exhausted');
  let delivered = false; // p-retry rejects when aborted even after a success; a delivered job is never buried
  try {
    await pRetry(
      async () => {
        const hook = deps.config().webhooks.find((h) => h.id === held.job.webhook);
        if (!hook) throw new AbortError(new WebhookRemoved());
        held = await begin(deps, held, interval).catch((err: unknown) => {
          throw new AbortError(new StoreDown(err));
        });
        await attempt(hook, held.job, abort, deps.now());
        await deps.store.del('outbox', held.key);
        delivered = true;
        deps.metrics.webhookDelivered.inc({ webhook: hook.id });
        deps.logger.debug({ webhook: hook.id, event: held.job.event, webhookId: held.job.id, attempt: held.job.attempts }, 'webhook delivered');
      },
      {
        retries: total - held.job.attempts - 1,
        factor: 1,
        minTimeout: interval,
        maxTimeout: interval,
        signal: abort,
        unref: true,
        onFailedAttempt: ({ error, retriesLeft }) => {
          if (abort.aborted) return;
          held = { ...held, job: { ...held.job, lastError: error.message } };
          reportFailure(deps, held.job, total, error, retriesLeft);
        },
      },
    );
  } catch (err) {
    const removed = err instanceof WebhookRemoved || abort.reason instanceof WebhookRemoved;
    if (delivered || (abort.aborted && !removed)) return;
    // An attempt that could not even be recorded was never made: the job stays pending with the attempts it has,
    // and the worker's cooldown (on this rejection) keeps it from being claimed again at once while the store is down.
    if (err instanceof StoreDown) throw err;
    await bury(deps, held, removed ? 'webhook-removed' : 'attempts-exhausted');
  }
}

/** Moves a job to the dead letters, counted and logged. */
export async function bury(deps: DeliveryDeps, held: Held, reason: DeadLetterReason): Promise<void> {
  const { job } = held;
  await deps.store.batch(buryOps(held.key, job, reason, deps.now()));
  deps.metrics.webhookFailed.inc({ webhook: job.webhook });
  deps.logger.error(
    { webhook: job.webhook, event: job.event, webhookId: job.id, attempts: job.attempts, reason, ...(job.lastError !== undefined && { lastError: job.lastError }) },
    'webhook delivery failed; kept as a dead letter',
  );
}

/** Persists the attempt about to start: its number, the due time of the next one and the frozen payload. */
async function begin(deps: DeliveryDeps, held: Held, interval: number): Promise<Held> {
  const job: DeliveryJob = { ...held.job, attempts: held.job.attempts + 1, dueAt: deps.now().getTime() + interval };
  const key = jobKey(job);
  await deps.store.batch([
    ...(key !== held.key ? [{ type: 'del' as const, collection: 'outbox' as const, key: held.key }] : []),
    { type: 'put', collection: 'outbox', key, value: job },
  ]);
  return { key, job };
}

/** One log line per failed attempt: which webhook and event, the status or error, attempt n of N. */
function reportFailure(deps: DeliveryDeps, job: DeliveryJob, total: number, error: Error, retriesLeft: number): void {
  const detail = error instanceof AttemptFailed ? error.detail : { error: error.message };
  deps.logger.warn(
    { webhook: job.webhook, event: job.event, webhookId: job.id, attempt: job.attempts, attempts: total, ...detail },
    'webhook delivery attempt failed',
  );
  if (retriesLeft > 0) deps.metrics.webhookRetried.inc({ webhook: job.webhook });
}
