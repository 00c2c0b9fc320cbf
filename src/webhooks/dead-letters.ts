/**
 * Dead letters: deliveries that used up their attempts (or whose webhook was removed from the config), kept in
 * the store until an operator redelivers them. Redelivery puts the job back in the outbox with a fresh attempt
 * budget and the same id, so `webhook-id` still identifies the event and receivers can de-duplicate.
 *
 * What operators see is a summary: no payload (it holds visitors' personal data) and nothing from the config
 * (the URL and the secret may be credentials).
 */
import type { ConfigSnapshot } from '../config/index.js';
import type { WebhookEvent } from '../config/schema-types.js';
import { AppError } from '../domain/errors.js';
import type { BatchOp, Store } from '../domain/ports/store.js';
import { putJob, type DeadLetter, type DeadLetterReason, type DeliveryJob } from './jobs.js';

export interface DeadLetterSummary {
  id: string;
  webhook: string;
  event: WebhookEvent;
  createdAt: string;
  failedAt: string;
  attempts: number;
  reason: DeadLetterReason;
  lastError?: string;
}

export interface RedeliverAllResult {
  redelivered: string[];
  /** Dead letters left in place, with why (their webhook is no longer configured). */
  skipped: { id: string; reason: string }[];
}

export interface DeadLetters {
  /** Oldest failure first. */
  list(): Promise<DeadLetterSummary[]>;
  /** Throws `not-found` for an unknown id, `invalid-params` when its webhook is no longer configured. */
  redeliver(id: string): Promise<DeadLetterSummary>;
  redeliverAll(): Promise<RedeliverAllResult>;
}

/** The batch that moves a job from the outbox to the dead letters. */
export function buryOps(outboxKey: string, job: DeliveryJob, reason: DeadLetterReason, now: Date): BatchOp[] {
  const letter: DeadLetter = { ...job, failedAt: now.toISOString(), reason };
  return [
    { type: 'del', collection: 'outbox', key: outboxKey },
    { type: 'put', collection: 'deadLetters', key: job.id, value: letter },
  ];
}

export function createDeadLetters(deps: { store: Store; config: () => ConfigSnapshot; now: () => Date; wake: () => void }): DeadLetters {
  // Operations run one at a time, so two redeliveries of one letter cannot both queue it.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const result = queue.then(task);
    queue = result.catch(() => undefined);
    return result;
  };

  const all = async (): Promise<DeadLetter[]> => {
    const letters: DeadLetter[] = [];
    for await (const [, letter] of deps.store.range<DeadLetter>('deadLetters')) letters.push(letter);
    return letters.sort((a, b) => a.failedAt.localeCompare(b.failedAt) || a.id.localeCompare(b.id));
  };

  /** Back to the outbox, due now, with a fresh attempt budget; `false` when its webhook is gone. */
  const requeue = async (letter: DeadLetter): Promise<boolean> => {
    if (!deps.config().webhooks.some((hook) => hook.id === letter.webhook)) return false;
    const { failedAt: _failedAt, reason: _reason, lastError: _lastError, ...job } = letter;
    const queued: DeliveryJob = { ...job, attempts: 0, dueAt: deps.now().getTime() };
    await deps.store.batch([{ type: 'del', collection: 'deadLetters', key: letter.id }, putJob(queued)]);
    return true;
  };

  return {
    list: () => serial(async () => (await all()).map(summary)),

    redeliver: (id) =>
      serial(async () => {
        const letter = await deps.store.get<DeadLetter>('deadLetters', id);
        if (!letter) throw new AppError('not-found', `No dead letter ${id}`);
        if (!(await requeue(letter))) throw new AppError('invalid-params', `Webhook "${letter.webhook}" is no longer configured; dead letter ${id} kept`);
        deps.wake();
        return summary(letter);
      }),

    redeliverAll: () =>
      serial(async () => {
        const result: RedeliverAllResult = { redelivered: [], skipped: [] };
        for (const letter of await all()) {
          if (await requeue(letter)) result.redelivered.push(letter.id);
          else result.skipped.push({ id: letter.id, reason: `webhook "${letter.webhook}" is no longer configured` });
        }
        if (result.redelivered.length > 0) deps.wake();
        return result;
      }),
  };
}

function summary(letter: DeadLetter): DeadLetterSummary {
  return {
    id: letter.id,
    webhook: letter.webhook,
    event: letter.event,
    createdAt: letter.createdAt,
    failedAt: letter.failedAt,
    attempts: letter.attempts,
    reason: letter.reason,
    ...(letter.lastError !== undefined && { lastError: letter.lastError }),
  };
}
