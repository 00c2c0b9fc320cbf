import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffConfig, redactConfig, REDACTED } from '../../../src/config/diff.js';
import { loadConfig, type ConfigSnapshot } from '../../../src/config/index.js';

async function load(name: string): Promise<ConfigSnapshot> {
  const result = await loadConfig(`test/fixtures/plan/${name}`, { env: {} });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

describe('config diff (plan)', () => {
  it('prints exactly what changes between two configurations, secrets never shown', async () => {
    const [before, after] = [await load('before.yaml'), await load('after.yaml')];
    const lines = diffConfig(before, after, [...before.interpolatedPaths, ...after.interpolatedPaths]);
    expect(`${lines.join('\n')}\n`).toBe(readFileSync('test/fixtures/plan/before-after.expected', 'utf8'));
    for (const leak of ['old-secret', 'new-secret', '$scrypt']) expect(lines.join('\n')).not.toContain(leak);
  });

  it('is empty for the same configuration', async () => {
    const config = await load('before.yaml');
    expect(diffConfig(config, config)).toEqual([]);
  });

  it('redacts password hashes, webhook tokens and interpolated values', async () => {
    const config = await load('before.yaml');
    const redacted = redactConfig(config, config.interpolatedPaths);
    expect(redacted.agents[0]?.passwordHash).toBe(REDACTED);
    expect(redacted.webhooks[0]?.secretToken).toBe(REDACTED);
    expect(JSON.stringify(redacted)).not.toContain('old-secret');
    expect(redacted.webhooks[0]?.url).toBe('https://crm.example/hook');
  });
});
