import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('livechatd validate', () => {
  it('accepts the shipped demo config with a one-line summary', async () => {
    const result = await runCli('livechatd', ['validate', '--config', 'config/livechat.yaml']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok: 2 departments, 3 agents, 1 manager, 2 triggers, 3 custom fields, 0 webhooks \(config [0-9a-f]{12}\)\n$/);
    expect(result.stderr).toBe('');
  });

  it('accepts a split directory', async () => {
    const result = await runCli('livechatd', ['validate', '--config', 'config/examples/split']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ok: /);
  });

  it('prints every error as file:line:col  path: message and exits 1', async () => {
    const result = await runCli('livechatd', ['validate', '--config', 'test/fixtures/config/mixed.bad.yaml']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(readFileSync('test/fixtures/config/mixed.bad.expected', 'utf8'));
  });

  it('names a missing path in one line', async () => {
    const result = await runCli('livechatd', ['validate', '--config', 'does/not/exist.yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('does/not/exist.yaml');
  });

  it('has --help', async () => {
    const result = await runCli('livechatd', ['validate', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('--config <path>');
  });
});
