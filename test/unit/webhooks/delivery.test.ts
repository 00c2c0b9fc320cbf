/**
 * deliver() when the store cannot record an attempt (disk full, closing): the attempt is not made and not
 * counted, the job stays pending in the outbox, and nothing becomes a dead letter.
 */
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { AppError } from '../../../src/domain/errors.js';
import type { Store } from '../../../src/domain/ports/store.js';
import { createMemoryStore } from '../../../src/store/memory/index.js';
import { silentLogger } from '../../../src/telemetry/logger.js';
import { createMetrics } from '../../../src/telemetry/metrics.js';
import { deliver } from '../../../src/webhooks/delivery.js';
import { jobKey, type DeliveryJob } from '../../../src/webhooks/jobs.js';
import { createOutbox } from '../../../src/webhooks/outbox.js';

const NOW = new Date('2026-03-04T05:06:07.890Z');

it('a store that refuses writes uses up no attempt and buries nothing', async () => {
  const path = fileURLToPath(new URL('../../fixtures/webhooks/two-receivers.yaml', import.meta.url));
  const loaded = await loadConfig(path, { env: { DATA_DIR: '/tmp/unused', SLOW_URL: 'http://127.0.0.1:1/slow', FAST_URL: 'http://127.0.0.1:1/fast' } });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const config = loaded.config;

  const memory = createMemoryStore();
  const offline = { _id: 'O1', name: 'N', email: 'n@example.com', message: 'hi', ts: NOW.toISOString() };
  const ops = createOutbox({ config: () => config, now: () => NOW, enqueued: () => undefined }).opsFor([{ type: 'offline.message', offline }]);
  expect(ops.length).toBeGreaterThan(0);
  await memory.batch(ops);
  const [first] = ops;
  const job = (first as { value: DeliveryJob }).value;

  // Reads work; every write is refused, as while the disk is full.
  const down: Store = { ...memory, batch: async () => Promise.reject(new AppError('store-unavailable', 'store: writes are suspended')), del: async () => Promise.reject(new AppError('store-unavailable', 'x')) };
  const metrics = createMetrics();
  const hook = config.webhooks.find((h) => h.id === job.webhook)!;
  // It rejects, so that the worker cools down before claiming the job again, instead of spinning while the disk is full.
  await expect(deliver({ store: down, config: () => config, logger: silentLogger(), metrics, now: () => NOW }, hook, { key: jobKey(job), job }, new AbortController().signal)).rejects.toThrow(/store unavailable/);

  const pending = await memory.get<DeliveryJob>('outbox', jobKey(job));
  expect(pending?.attempts).toBe(job.attempts);
  const dead: unknown[] = [];
  for await (const entry of memory.range('deadLetters')) dead.push(entry);
  expect(dead).toEqual([]);
});
