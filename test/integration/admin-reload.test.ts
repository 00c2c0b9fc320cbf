import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createDaemon, type Daemon } from '../../src/daemon/index.js';
import { runCli } from '../helpers/cli.js';
import { capturedLogger, FIXTURES, startDaemon, type TestDaemon } from '../helpers/daemon.js';
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

describe('a refused reload, seen by an operator', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let daemon: Daemon | undefined;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await daemon?.stop();
    daemon = undefined;
    await dir.remove();
  });

  /**
   * with-manager.yaml copied into the temp dir (so the test can break it), logs captured as JSON lines. No
   * watcher: the admin endpoint is the only trigger, so each POST answers with the outcome of that edit.
   */
  async function start() {
    const file = join(dir.path, 'livechat.yaml');
    await cp(join(FIXTURES, 'reload/with-manager.yaml'), file);
    const env = { DATA_DIR: join(dir.path, 'data') };
    const loaded = await loadConfig(file, { env });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const { logger, logs } = capturedLogger();
    daemon = createDaemon({ config: loaded.config, configPath: file, env, logger, watchConfig: false });
    await daemon.start();
    const url = daemon.addr().url;
    const boss = await token(url, 'boss');
    const admin = async (method: 'GET' | 'POST', path: string) =>
      (await (await fetch(`${url}/api/v1/admin/${path}`, { method, headers: { authorization: `Bearer ${boss}` } })).json()) as Record<string, unknown>;
    const successful = async () => /^livechat_config_last_reload_successful (\d)$/m.exec(await (await fetch(`${url}/metrics`)).text())?.[1];
    return { file, env, logs, admin, successful };
  }

  it('GET config shows the errors, the log has every error line exactly as validate prints it, no secret anywhere', async () => {
    const d = await start();
    const good = await readFile(d.file, 'utf8');
    // Two semantic errors, so "every line" means more than one.
    await writeFile(d.file, `${good}departments:\n  - { id: sales, name: Sales, agents: [carol, dave] }\n`);
    const validate = await runCli('livechatd', ['validate', '--config', d.file], { env: d.env });
    expect(validate.code).toBe(1);
    const lines = validate.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(2);

    expect(await d.admin('POST', 'reload')).toMatchObject({ outcome: 'refused', errors: lines });
    expect(await d.admin('GET', 'config')).toMatchObject({ generation: 1, lastError: lines });
    const logged = d.logs.map((chunk) => JSON.parse(chunk) as { level: number; msg: string });
    for (const line of lines) expect(logged).toContainEqual(expect.objectContaining({ level: 50, msg: line }));
    expect(d.logs.join('')).not.toContain('s3cr3t-value');
    expect(await d.successful()).toBe('0');
  });

  it('an unchanged reload after a refusal (the bad save reverted) clears lastError, as the success metric says', async () => {
    const d = await start();
    const good = await readFile(d.file, 'utf8');
    await writeFile(d.file, good.replace('agents:', 'agents: [oops'));
    expect(await d.admin('POST', 'reload')).toMatchObject({ outcome: 'refused' });
    expect((await d.admin('GET', 'config')).lastError).toEqual(expect.arrayContaining([expect.stringContaining(d.file)]));

    await writeFile(d.file, good);
    expect(await d.admin('POST', 'reload')).toMatchObject({ outcome: 'unchanged', generation: 1 });
    expect(await d.successful()).toBe('1');
    expect(await d.admin('GET', 'config')).toMatchObject({ generation: 1, lastError: null });
  });
});
