import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/tmp.js';

async function token(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'pw' }) });
  return ((await res.json()) as { token: string }).token;
}

describe('admin API and CLI for reloads', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let d: TestDaemon;
  beforeEach(async () => {
    dir = await tempDir();
    d = await startDaemon('reload/with-manager.yaml', { DATA_DIR: dir.path });
  });
  afterEach(async () => {
    await d.stop();
    await dir.remove();
  });

  it('only managers may reload or read the config; the config shown has no secrets', async () => {
    const post = (bearer?: string) => fetch(`${d.url}/api/v1/admin/reload`, { method: 'POST', headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
    expect((await post()).status).toBe(401);
    expect((await post(await token(d.url, 'alice'))).status).toBe(403);
    const boss = await token(d.url, 'boss');
    expect(await (await post(boss)).json()).toMatchObject({ success: true, outcome: 'unchanged', generation: 1 });

    const res = await fetch(`${d.url}/api/v1/admin/config`, { headers: { authorization: `Bearer ${boss}` } });
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ success: true, hash: d.daemon.config.current().hash, generation: 1, lastError: null });
    for (const secret of ['s3cr3t-value', '$scrypt']) expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });

  it('livechatd reload asks the running daemon and prints the outcome', async () => {
    const result = await runCli('livechatd', ['reload', '--server', d.url, '--user', 'boss'], { env: { LIVECHAT_PASSWORD: 'pw' } });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`unchanged: config ${d.daemon.config.current().hash.slice(0, 12)} (generation 1)\n`);
    expect(result.code).toBe(0);

    const denied = await runCli('livechatd', ['reload', '--server', d.url, '--user', 'alice'], { env: { LIVECHAT_PASSWORD: 'pw' } });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toBe('livechatd: Managers only [forbidden]\n');
  });

  it('livechatd plan compares with the running daemon, secrets never shown', async () => {
    const same = await runCli('livechatd', ['plan', '--config', 'test/fixtures/reload/with-manager.yaml', '--server', d.url, '--user', 'boss', '--detailed-exitcode'], {
      env: { LIVECHAT_PASSWORD: 'pw', DATA_DIR: dir.path },
    });
    expect(same.stdout).toBe('no changes\n');
    expect(same.code).toBe(2);
    const other = await runCli('livechatd', ['plan', '--config', 'test/fixtures/reload/base.yaml', '--server', d.url, '--user', 'boss'], {
      env: { LIVECHAT_PASSWORD: 'pw', DATA_DIR: dir.path },
    });
    expect(other.code).toBe(0);
    expect(other.stdout).toBe(
      ['~ appearance.title: "livechatd" → "Title v1"', '- manager boss', '+ agent bob', '- webhook crm', ''].join('\n'),
    );
  });
});
