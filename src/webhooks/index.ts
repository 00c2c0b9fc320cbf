/**
 * Webhooks: the outbox port the services write through, the delivery worker and the dead letters.
 *
 * The worker learns of new jobs from the bus: services publish an event only once its batch — jobs included —
 * is durable, so looking then always finds them, and a batch that failed never wakes anyone. Events are matched
 * by identity with the ones `opsFor` saw (a WeakSet: events of failed batches are simply forgotten).
 */
import type { ConfigSnapshot } from '../config/index.js';
import type { DomainEvent } from '../domain/events.js';
import type { EventBus } from '../domain/ports/bus.js';
import type { OutboxPort } from '../domain/ports/outbox.js';
import type { Store } from '../domain/ports/store.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import { createDeadLetters, type DeadLetters } from './dead-letters.js';
import { createOutbox } from './outbox.js';
import { queueSizes } from './queue-sizes.js';
import { DeliveryWorker } from './worker.js';

export type { DeadLetterSummary, DeadLetters, RedeliverAllResult } from './dead-letters.js';

export interface WebhooksOptions {
  store: Store;
  bus: EventBus;
  config: () => ConfigSnapshot;
  logger: Logger;
  metrics: Metrics;
  now?: () => Date;
  /** Deliveries of one webhook in progress at once (default 4). */
  concurrency?: number;
}

export interface Webhooks {
  outbox: OutboxPort;
  /** Starts delivering, beginning with whatever a previous run left pending. */
  start(): Promise<void>;
  /** Ends deliveries in progress (they stay pending, attempts counted); call before the store closes. */
  stop(): Promise<void>;
  deadLetters: DeadLetters;
}

export function createWebhooks(options: WebhooksOptions): Webhooks {
  const { store, bus, config, logger, metrics } = options;
  const now = options.now ?? (() => new Date());
  const worker = new DeliveryWorker({ store, config, logger, metrics, now, concurrency: options.concurrency ?? 4 });
  const enqueued = new WeakSet<DomainEvent>();
  let unsubscribe: (() => void) | undefined;

  return {
    outbox: createOutbox({ config, now, enqueued: (event) => enqueued.add(event) }),
    deadLetters: createDeadLetters({ store, config, now, wake: () => worker.wake() }),

    async start() {
      // A reload may have removed a webhook (its jobs become dead letters) or changed its retry policy.
      unsubscribe = bus.subscribe((event) => {
        if (enqueued.has(event) || event.type === 'config.changed') worker.wake();
      });
      metrics.webhookQueues.reader = () => queueSizes(store, config());
      worker.start();
    },

    async stop() {
      unsubscribe?.();
      unsubscribe = undefined;
      metrics.webhookQueues.reader = undefined;
      await worker.stop();
    },
  };
}
