/**
 * Prometheus metrics. Each daemon owns its registry (no global state), so several daemons can run in one
 * process — the tests rely on that.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  readonly configLastReloadSuccessful: Gauge;
  readonly configLastReloadSuccessTimestamp: Gauge;
  readonly configInfo: Gauge<'hash'>;
  readonly configGeneration: Gauge;
  readonly configReloads: Counter<'outcome'>;
  readonly configReloadSeconds: Histogram;
  /** Webhook deliveries that got a 2xx answer. */
  readonly webhookDelivered: Counter<'webhook'>;
  /** Failed attempts followed by another attempt. */
  readonly webhookRetried: Counter<'webhook'>;
  /** Deliveries given up on (kept as dead letters). */
  readonly webhookFailed: Counter<'webhook'>;
  readonly webhookOutboxDepth: Gauge<'webhook'>;
  readonly webhookDeadLetters: Gauge<'webhook'>;
  /** Set by the webhooks module while it runs: reads the queue sizes the two gauges above report at each scrape. */
  readonly webhookQueues: { reader: (() => Promise<WebhookQueueSizes>) | undefined };
}

/** Pending deliveries and dead letters per webhook id. */
export interface WebhookQueueSizes {
  outbox: ReadonlyMap<string, number>;
  deadLetters: ReadonlyMap<string, number>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const webhookQueues: Metrics['webhookQueues'] = { reader: undefined };
  /** A gauge whose values are read at scrape time from one of the webhook queue sizes. */
  const queueGauge = (name: string, help: string, pick: (sizes: WebhookQueueSizes) => ReadonlyMap<string, number>) =>
    new Gauge({
      name,
      help,
      labelNames: ['webhook'],
      registers: [registry],
      async collect() {
        this.reset();
        const sizes = await webhookQueues.reader?.();
        for (const [webhook, count] of sizes ? pick(sizes) : []) this.set({ webhook }, count);
      },
    });
  return {
    registry,
    configLastReloadSuccessful: new Gauge({
      name: 'livechat_config_last_reload_successful',
      help: 'Whether the last configuration reload attempt was successful (1) or not (0).',
      registers: [registry],
    }),
    configLastReloadSuccessTimestamp: new Gauge({
      name: 'livechat_config_last_reload_success_timestamp_seconds',
      help: 'Timestamp of the last successful configuration load.',
      registers: [registry],
    }),
    configInfo: new Gauge({
      name: 'livechat_config_info',
      help: 'The active configuration; the value is always 1, the hash label identifies it.',
      labelNames: ['hash'],
      registers: [registry],
    }),
    configGeneration: new Gauge({
      name: 'livechat_config_generation',
      help: 'How many configurations this daemon has committed, starting at 1.',
      registers: [registry],
    }),
    configReloads: new Counter({
      name: 'livechat_config_reloads_total',
      help: 'Configuration reload attempts by outcome (applied, unchanged, refused).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    configReloadSeconds: new Histogram({
      name: 'livechat_config_reload_duration_seconds',
      help: 'How long reload attempts took, from reading the files to the end of applying them.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    webhookDelivered: new Counter({
      name: 'livechat_webhook_delivered_total',
      help: 'Webhook deliveries answered with a 2xx status, by webhook id.',
      labelNames: ['webhook'],
      registers: [registry],
    }),
    webhookRetried: new Counter({
      name: 'livechat_webhook_retried_total',
      help: 'Failed webhook delivery attempts that were followed by another attempt, by webhook id.',
      labelNames: ['webhook'],
      registers: [registry],
    }),
    webhookFailed: new Counter({
      name: 'livechat_webhook_failed_total',
      help: 'Webhook deliveries given up on and kept as dead letters, by webhook id.',
      labelNames: ['webhook'],
      registers: [registry],
    }),
    webhookOutboxDepth: queueGauge('livechat_webhook_outbox_depth', 'Webhook deliveries waiting in the outbox, by webhook id.', (s) => s.outbox),
    webhookDeadLetters: queueGauge('livechat_webhook_dead_letters', 'Dead letters waiting for an operator, by webhook id.', (s) => s.deadLetters),
    webhookQueues,
  };
}
