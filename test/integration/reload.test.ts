import { mkdir, readFile, rename, rm, symlink, truncate, unlink, writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createDaemon, type Daemon } from '../../src/daemon/index.js';
import type { ReloadOutcome } from '../../src/config/coordinator.js';
import { silentLogger } from '../../src/telemetry/logger.js';
import { FIXTURES } from '../helpers/daemon.js';
import { agent, visitor } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';

const base = () => readFile(join(FIXTURES, 'reload/base.yaml'), 'utf8');
const titled = async (title: string) => (await base()).replace('Title v1', title);

/** A daemon whose config lives in a temp dir the test rewrites; `next()` resolves with the next reload outcome. */
async function startWith(configPath: string, dataDir: string): Promise<{ daemon: Daemon; url: string; next: () => Promise<ReloadOutcome> }> {
  const env = { DATA_DIR: dataDir };
  const loaded = await loadConfig(configPath, { env });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const daemon = createDaemon({ config: loaded.config, configPath, env, logger: silentLogger() });
  const outcomes: ReloadOutcome[] = [];
  const waiters: ((o: ReloadOutcome) => void)[] = [];
  daemon.onReload((o) => {
    const w = waiters.shift();
    if (w) w(o);
    else outcomes.push(o);
  });
  await daemon.start();
  const next = () => (outcomes.length > 0 ? Promise.resolve(outcomes.shift()!) : new Promise<ReloadOutcome>((r) => waiters.push(r)));
  return { daemon, url: daemon.addr().url, next };
}

async function title(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/livechat/config`);
  return ((await res.json()) as { config: { theme: { title: string } } }).config.theme.title;
}

describe('reload from the files (GitOps)', () => {
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

  it('applies every save style, refuses bad ones while the old config keeps serving, and never drops a socket', async () => {
    const file = join(dir.path, 'livechat.yaml');
    await writeFile(file, await base());
    const d = await startWith(file, join(dir.path, 'data'));
    daemon = d.daemon;
    const alice = await agent(d.url, 'alice');
    const vera = await visitor(d.url);
    const closes: number[] = [];
    alice.client.onState((state) => state !== 'open' && closes.push(1));

    // Editor save: write a temp file, rename it over the config.
    await writeFile(`${file}.tmp`, await titled('Title v2'));
    await rename(`${file}.tmp`, file);
    expect(await d.next()).toMatchObject({ outcome: 'applied', generation: 2 });
    expect(await title(d.url)).toBe('Title v2');
    expect(await vera.frames.next((f) => f.type === 'config.changed')).toMatchObject({ hash: d.daemon.config.current().hash });

    // Truncate, then write.
    await truncate(file, 0);
    await appendFile(file, await titled('Title v3'));
    expect(await d.next()).toMatchObject({ outcome: 'applied' });
    expect(await title(d.url)).toBe('Title v3');

    // An invalid save, a zero-byte save and a deleted file: refused, v3 keeps serving.
    await writeFile(file, (await titled('Broken')).replace('maxChatsPerAgent: 5', 'maxChatsPerAgent: lots'));
    expect(await d.next()).toMatchObject({ outcome: 'refused', errors: [expect.stringContaining('livechat.maxChatsPerAgent')] });
    await writeFile(file, '');
    expect(await d.next()).toMatchObject({ outcome: 'refused' });
    await unlink(file);
    expect(await d.next()).toMatchObject({ outcome: 'refused', errors: [expect.stringContaining('no such file')] });
    expect(await title(d.url)).toBe('Title v3');
    const metrics = await (await fetch(`${d.url}/metrics`)).text();
    expect(metrics).toMatch(/^livechat_config_last_reload_successful 0$/m);

    // The next valid save is applied.
    await writeFile(file, await titled('Title v4'));
    expect(await d.next()).toMatchObject({ outcome: 'applied' });
    expect(await title(d.url)).toBe('Title v4');

    // Ten more reloads with messages in flight: every message arrives, no socket closed.
    const sends: Promise<unknown>[] = [];
    for (let i = 1; i <= 10; i++) {
      await writeFile(file, await titled(`Title r${i}`));
      sends.push(vera.client.send(vera.rid, `during reload ${i}`));
      expect(await d.next()).toMatchObject({ outcome: 'applied' });
    }
    await Promise.all(sends);
    await alice.frames.next((f) => f.type === 'message' && (f.message as { msg: string }).msg === 'during reload 10');
    expect(alice.frames.messages(vera.rid).map((m) => m.msg)).toEqual(Array.from({ length: 10 }, (_, i) => `during reload ${i + 1}`));
    expect(closes).toEqual([]);
    alice.client.disconnect();
    vera.client.disconnect();
  });

  it('sees a ConfigMap-style ..data symlink swap in a config directory', async () => {
    const mount = join(dir.path, 'config');
    await mkdir(join(mount, '..v1'), { recursive: true });
    await writeFile(join(mount, '..v1', 'livechat.yaml'), await base());
    await symlink('..v1', join(mount, '..data'));
    await symlink('..data/livechat.yaml', join(mount, 'livechat.yaml'));
    const d = await startWith(mount, join(dir.path, 'data'));
    daemon = d.daemon;

    await mkdir(join(mount, '..v2'));
    await writeFile(join(mount, '..v2', 'livechat.yaml'), await titled('From ConfigMap'));
    await symlink('..v2', join(mount, '..data_tmp'));
    await rename(join(mount, '..data_tmp'), join(mount, '..data'));
    await rm(join(mount, '..v1'), { recursive: true });
    expect(await d.next()).toMatchObject({ outcome: 'applied' });
    expect(await title(d.url)).toBe('From ConfigMap');
  });

  it('a removed agent is disconnected and their chats go to another agent; their token stops working', async () => {
    const file = join(dir.path, 'livechat.yaml');
    await writeFile(file, await base());
    const d = await startWith(file, join(dir.path, 'data'));
    daemon = d.daemon;
    const alice = await agent(d.url, 'alice');
    const vera = await visitor(d.url);
    const bob = await agent(d.url, 'bob');
    const closed = new Promise<string | undefined>((resolve) => alice.client.onState((state, detail) => state === 'closed' && resolve(detail)));
    const aliceToken = (await login(d.url, 'alice')).token;

    await writeFile(file, (await base()).replace(/^ {2}- \{ username: alice.*\n/m, ''));
    expect(await d.next()).toMatchObject({ outcome: 'applied' });
    expect(await closed).toBe('user removed from the configuration');
    expect(await vera.frames.next((f) => f.type === 'agent' && (f.agent as { username?: string } | null)?.username === 'bob')).toBeTruthy();
    expect(await bob.frames.next((f) => f.type === 'room.assigned' && f.previousAgent === 'alice')).toBeTruthy();
    const me = await fetch(`${d.url}/api/v1/agent/me`, { headers: { authorization: `Bearer ${aliceToken}` } });
    expect(me.status).toBe(401);
    expect((await fetch(`${d.url}/api/v1/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'alice', password: 'pw' }) })).status).toBe(401);
    bob.client.disconnect();
    vera.client.disconnect();
  });

  it('a change to server.* is refused with "restart required" and nothing else is applied', async () => {
    const file = join(dir.path, 'livechat.yaml');
    await writeFile(file, await base());
    const d = await startWith(file, join(dir.path, 'data'));
    daemon = d.daemon;
    await writeFile(file, (await titled('Not applied')).replace('listen: 127.0.0.1:0', 'listen: 127.0.0.1:1'));
    expect(await d.next()).toEqual({ outcome: 'refused', errors: ['restart required: server.listen changed'] });
    expect(await title(d.url)).toBe('Title v1');
  });
});

async function login(url: string, username: string): Promise<{ token: string }> {
  const res = await fetch(`${url}/api/v1/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'pw' }) });
  return (await res.json()) as { token: string };
}
