/**
 * Pending jobs and dead letters per webhook, counted from the store when /metrics is scraped. Every configured
 * webhook appears (0 when nothing waits); a webhook removed from the config appears while jobs of it remain.
 * A full read of both collections: they are small unless a receiver is down, and then this is what to watch.
 */
import type { ConfigSnapshot } from '../config/index.js';
import type { Store } from '../domain/ports/store.js';
import type { WebhookQueueSizes } from '../telemetry/metrics.js';
import { webhookOfKey, type DeadLetter } from './jobs.js';

export async function queueSizes(store: Store, config: ConfigSnapshot): Promise<WebhookQueueSizes> {
  const outbox = new Map(config.webhooks.map((hook) => [hook.id, 0]));
  const deadLetters = new Map(outbox);
  for await (const [key] of store.range('outbox')) increment(outbox, webhookOfKey(key));
  for await (const [, letter] of store.range<DeadLetter>('deadLetters')) increment(deadLetters, letter.webhook);
  return { outbox, deadLetters };
}

function increment(counts: Map<string, number>, webhook: string): void {
  counts.set(webhook, (counts.get(webhook) ?? 0) + 1);
}
