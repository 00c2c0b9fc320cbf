/**
 * Loading on the worker thread gives exactly what loadConfig() gives in the calling thread: the same snapshot
 * (hash, lookups, compiled patterns) for a good configuration, the same errors for a bad one.
 */
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { OffThreadLoader } from '../../../src/config/off-thread.js';
import { FIXTURE_ENV, FIXTURES, REPO_ROOT } from './helpers.js';

const loader = new OffThreadLoader();
afterAll(() => loader.close());

test('a good configuration: the same snapshot, frozen, with null-prototype lookups and compiled patterns', async () => {
  const path = join(REPO_ROOT, 'config/livechat.yaml');
  const [here, there] = await Promise.all([loadConfig(path), loader.load(path)]);
  if (!here.ok || !there.ok) throw new Error('the demo configuration must load');
  expect(there.config.hash).toBe(here.config.hash);
  expect(there.config).toEqual(here.config);
  expect(Object.isFrozen(there.config.departments)).toBe(true);
  expect(Object.getPrototypeOf(there.config.users)).toBeNull();
  for (const pattern of Object.values(there.config.triggerPatterns)) expect(pattern).toBeInstanceOf(RegExp);
});

test('a bad configuration: the same errors; and a load after close() starts a new worker', async () => {
  const path = join(FIXTURES, 'duplicate-username.bad.yaml');
  const here = await loadConfig(path, { env: FIXTURE_ENV });
  await loader.close();
  const there = await loader.load(path, { env: FIXTURE_ENV });
  expect(here.ok).toBe(false);
  expect(there).toEqual(here);
});
