/**
 * The reload coordinator on its own: what an attempt reports when applying a committed snapshot fails, when the
 * files are empty, and how lastError follows the outcomes. The daemon-level behaviour is in test/integration.
 */
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigCoordinator, type ConfigState, type ReloadOutcome } from '../../../src/config/coordinator.js';
import { loadConfig, type ConfigSnapshot } from '../../../src/config/index.js';
import { configFile } from './helpers.js';

const yaml = (title: string) => `appearance:\n  title: ${title}\n`;

async function snapshotOf(path: string): Promise<ConfigSnapshot> {
  const loaded = await loadConfig(path);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return loaded.config;
}

function recorder() {
  const outcomes: { outcome: ReloadOutcome; state: ConfigState }[] = [];
  const errors: string[] = [];
  return {
    outcomes,
    errors,
    onOutcome: (outcome: ReloadOutcome, state: ConfigState) => void outcomes.push({ outcome, state }),
    logger: { error: (_details: Record<string, unknown>, message: string) => void errors.push(message) },
  };
}

describe('ConfigCoordinator', () => {
  it('a failure while applying a committed reload is reported as applied with the error, never thrown', async () => {
    const path = configFile(yaml('v1'));
    const seen = recorder();
    const coordinator = new ConfigCoordinator(await snapshotOf(path), {
      path,
      onCommit: () => {
        throw new Error('store write failed: disk full');
      },
      onOutcome: seen.onOutcome,
      logger: seen.logger,
    });
    writeFileSync(path, yaml('v2'));

    // Fire-and-forget callers (SIGHUP, the watcher) must not get a rejection: it would end the process.
    const outcome = await coordinator.reload();
    expect(outcome).toMatchObject({ outcome: 'applied', generation: 2, applyError: expect.stringContaining('store write failed: disk full') });
    expect(coordinator.current().appearance.title).toBe('v2');
    expect(coordinator.state().lastError).toEqual([expect.stringContaining('store write failed: disk full')]);
    expect(seen.outcomes.map((o) => o.outcome.outcome)).toEqual(['applied']);
    expect(seen.errors).toEqual([expect.stringContaining('applying it to the running chats failed: store write failed: disk full')]);
  });

  it('an async onCommit that rejects is handled the same way', async () => {
    const path = configFile(yaml('v1'));
    const seen = recorder();
    const coordinator = new ConfigCoordinator(await snapshotOf(path), {
      path,
      onCommit: () => Promise.reject(new Error('socket gone')),
      onOutcome: seen.onOutcome,
      logger: seen.logger,
    });
    writeFileSync(path, yaml('v2'));
    await expect(coordinator.reload()).resolves.toMatchObject({ outcome: 'applied', applyError: expect.stringContaining('socket gone') });
    expect(seen.outcomes).toHaveLength(1);
  });

  it('a throwing outcome listener does not make reload() reject', async () => {
    const path = configFile(yaml('v1'));
    const seen = recorder();
    const coordinator = new ConfigCoordinator(await snapshotOf(path), {
      path,
      onOutcome: () => {
        throw new Error('listener bug');
      },
      logger: seen.logger,
    });
    writeFileSync(path, yaml('v2'));
    await expect(coordinator.reload()).resolves.toMatchObject({ outcome: 'applied', generation: 2 });
    expect(seen.errors).toEqual(['reporting the reload outcome failed']);
  });

  it('refuses an empty file, naming it, and keeps the old snapshot', async () => {
    const path = configFile(yaml('v1'));
    const coordinator = new ConfigCoordinator(await snapshotOf(path), { path });
    for (const empty of ['', '\n  \n', '# being rewritten\n---\n']) {
      writeFileSync(path, empty);
      const outcome = await coordinator.reload();
      expect(outcome).toMatchObject({ outcome: 'refused', errors: [expect.stringMatching(/livechat\.yaml:1:1 {2}\(file\): empty file/)] });
      expect(outcome).toMatchObject({ errors: { length: 1 } });
      expect(coordinator.current().appearance.title).toBe('v1');
    }
    // validate (loadConfig without the reload option) still takes an empty file as "every default".
    writeFileSync(path, '');
    expect((await loadConfig(path)).ok).toBe(true);
  });

  it('an unchanged reload after a refusal clears lastError', async () => {
    const path = configFile(yaml('v1'));
    const coordinator = new ConfigCoordinator(await snapshotOf(path), { path });
    writeFileSync(path, 'appearance: [\n');
    expect(await coordinator.reload()).toMatchObject({ outcome: 'refused' });
    expect(coordinator.state().lastError).toHaveLength(1);
    writeFileSync(path, yaml('v1'));
    expect(await coordinator.reload()).toMatchObject({ outcome: 'unchanged', generation: 1 });
    expect(coordinator.state().lastError).toBeNull();
  });
});
