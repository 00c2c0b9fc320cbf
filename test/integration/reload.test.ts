import { cp, mkdir, readFile, rename, rm, symlink, truncate, unlink, writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createDaemon, type Daemon } from '../../src/daemon/index.js';
import type { ReloadOutcome } from '../../src/config/coordinator.js';
import { hashPassword } from '../../src/domain/password.js';
import { silentLogger } from '../../src/telemetry/logger.js';
import { AgentClient, loginAs, openChat, servedByOf, VisitorClient } from '../helpers/chat.js';
import { FIXTURES } from '../helpers/daemon.js';
import { spawnDaemon, within } from '../helpers/daemon-process.js';
import { waitForLog } from '../helpers/cli.js';
import { agent, visitor } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';

const base = () => readFile(join(FIXTURES, 'reload/base.yaml'), 'utf8');
const titled = async (title: string) => (await base()).replace('Title v1', title);

interface Started {
  daemon: Daemon;
  url: string;
  /** The next reload outcome (recorded ones first). */
  next: () => Promise<ReloadOutcome>;
  /** The next outcome of this kind, skipping others (a replaced directory may first read as missing). */
  until: (kind: ReloadOutcome['outcome']) => Promise<ReloadOutcome>;
}

/**
 * A daemon whose config lives in a temp dir the test rewrites. With `watch: false` only daemon.reload() reloads,
 * for tests about what a reload does rather than what triggers it.
 */
async function startWith(configPath: string, dataDir: string, options: { watch?: boolean } = {}): Promise<Started> {
  const env = { DATA_DIR: dataDir };
  const loaded = await loadConfig(configPath, { env });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const daemon = createDaemon({ config: loaded.config, configPath, env, logger: silentLogger(), watchConfig: options.watch ?? true });
  const outcomes: ReloadOutcome[] = [];
  const waiters: ((o: ReloadOutcome) => void)[] = [];
  daemon.onReload((o) => {
    const w = waiters.shift();
    if (w) w(o);
    else outcomes.push(o);
  });
  await daemon.start();
  const next = () => (outcomes.length > 0 ? Promise.resolve(outcomes.shift()!) : new Promise<ReloadOutcome>((r) => waiters.push(r)));
  const until = async (kind: ReloadOutcome['outcome']) => {
    for (let i = 0; i < 10; i++) {
      const outcome = await within(next(), 15_000, `a reload outcome (${kind})`);
      if (outcome.outcome === kind) return outcome;
    }
    throw new Error(`no ${kind} reload in 10 outcomes`);
  };
  return { daemon, url: daemon.addr().url, next, until };
}

// Every test gets a temp dir; a test that starts an in-process daemon keeps it in `daemon` to have it stopped.
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

async function title(url: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/livechat/config`);
  return ((await res.json()) as { config: { theme: { title: string } } }).config.theme.title;
}

describe('reload from the files (GitOps)', () => {
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
    expect(await d.next()).toMatchObject({ outcome: 'refused', errors: [expect.stringContaining('empty file')] });
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

describe('reload refuses what it must not apply', () => {
  it('an emptied file of a config directory is refused, naming the file, even though the rest is a valid config', async () => {
    // The other file keeps the server section the daemon started with, so "restart required" cannot be the reason.
    const mount = join(dir.path, 'config');
    await cp(join(FIXTURES, 'reload/split'), mount, { recursive: true });
    const d = await startWith(mount, join(dir.path, 'data'));
    daemon = d.daemon;
    const file = join(mount, '20-departments.yaml');
    const original = await readFile(file, 'utf8');

    for (const empty of ['', '  \n# deploy in progress\n\n']) {
      await writeFile(file, empty);
      const outcome = await within(d.next(), 15_000, 'the refusal of an empty file');
      expect(outcome).toEqual({ outcome: 'refused', errors: [`${file}:1:1  (file): empty file (a save in progress or a failed deploy?); not applied`] });
      expect(d.daemon.config.current().departments.map((x) => x.id)).toEqual(['sales', 'support']);
    }
    await writeFile(file, original);
    expect(await within(d.next(), 15_000, 'the restored file')).toMatchObject({ outcome: 'unchanged', generation: 1 });
  });

  it('a file that was blank from the start (a placeholder) does not block reloads of the others', async () => {
    const mount = join(dir.path, 'config');
    await cp(join(FIXTURES, 'reload/split'), mount, { recursive: true });
    await writeFile(join(mount, '90-local.yaml'), '# site-specific overrides go here\n');
    const d = await startWith(mount, join(dir.path, 'data'));
    daemon = d.daemon;
    const file = join(mount, '20-departments.yaml');
    await writeFile(file, (await readFile(file, 'utf8')).replace('name: Sales,', 'name: Sales team,'));
    expect(await within(d.next(), 15_000, 'the edit next to the placeholder')).toMatchObject({ outcome: 'applied', generation: 2 });
    expect(d.daemon.config.current().departments.find((x) => x.id === 'sales')?.name).toBe('Sales team');
  });
});

describe('the watcher follows a replaced config directory', () => {
  it('applies the new directory and keeps watching it after the old one is renamed away', async () => {
    const mount = join(dir.path, 'config');
    await cp(join(FIXTURES, 'reload/split'), mount, { recursive: true });
    const d = await startWith(mount, join(dir.path, 'data'));
    daemon = d.daemon;
    const departments = () => d.daemon.config.current().departments.map((x) => x.name);

    // As some deploy tools do: build the new directory beside it, move the old one away, move the new one in.
    const staged = join(dir.path, 'config.new');
    await cp(mount, staged, { recursive: true });
    const file = (root: string) => join(root, '20-departments.yaml');
    await writeFile(file(staged), (await readFile(file(mount), 'utf8')).replace('name: Sales', 'name: Sales v2'));
    await rename(mount, join(dir.path, 'config.old'));
    await rename(staged, mount);
    expect(await d.until('applied')).toMatchObject({ generation: 2 });
    expect(departments()).toEqual(['Sales v2', 'Support']);

    // The watch now follows the new directory: an edit inside it is applied too.
    await writeFile(file(mount), (await readFile(file(mount), 'utf8')).replace('name: Support', 'name: Support v3'));
    expect(await d.until('applied')).toMatchObject({ generation: 3 });
    expect(departments()).toEqual(['Sales v2', 'Support v3']);
  });
});

describe('the watcher follows a config directory reached through a swapped symlink', () => {
  it('applies a release switched by renaming a new `current` symlink over the old one', async () => {
    // Capistrano-style: releases/1 and releases/2, `current` points at one of them. The swap happens in the
    // parent directory, so the watch on the old release itself hears nothing.
    const release = (n: number) => join(dir.path, 'releases', String(n));
    await cp(join(FIXTURES, 'reload/split'), release(1), { recursive: true });
    await cp(release(1), release(2), { recursive: true });
    const departmentsFile = join(release(2), '20-departments.yaml');
    await writeFile(departmentsFile, (await readFile(departmentsFile, 'utf8')).replace('name: Sales', 'name: Sales r2'));
    const current = join(dir.path, 'current');
    await symlink(release(1), current);
    const d = await startWith(current, join(dir.path, 'data'));
    daemon = d.daemon;

    await symlink(release(2), `${current}.tmp`);
    await rename(`${current}.tmp`, current);
    expect(await d.until('applied')).toMatchObject({ generation: 2 });
    expect(d.daemon.config.current().departments.map((x) => x.name)).toEqual(['Sales r2', 'Support']);
  });
});

describe('what a committed reload changes in the running chats', () => {
  /** Copies `reload/<fixture>.yaml` into the temp dir and starts on it without a watcher; returns the copy too. */
  async function start(fixture: string): Promise<Started & { file: string; rewrite: (edit: (text: string) => string) => Promise<ReloadOutcome> }> {
    const file = join(dir.path, 'livechat.yaml');
    await cp(join(FIXTURES, `reload/${fixture}.yaml`), file);
    const d = await startWith(file, join(dir.path, 'data'), { watch: false });
    daemon = d.daemon;
    const rewrite = async (edit: (text: string) => string) => {
      await writeFile(file, edit(await readFile(file, 'utf8')));
      return d.daemon.reload();
    };
    return { ...d, file, rewrite };
  }

  it("a changed password hash ends that agent's sessions: token refused, socket closed, the new password works", async () => {
    const d = await start('base');
    const alice = await agent(d.url, 'alice');
    const closed = new Promise<string | undefined>((resolve) => alice.client.onState((state, detail) => state === 'closed' && resolve(detail)));
    const aliceHttp = await loginAs(d.url, 'alice');
    const bobHttp = await loginAs(d.url, 'bob');

    const hash = await hashPassword('new-pw', { ln: 10, r: 8, p: 1 });
    // A replacer function: in a replacement string, a `$1` inside the new hash would be read as the capture.
    const outcome = await d.rewrite((text) => text.replace(/(username: alice.*passwordHash: )"[^"]+"/, (_line, head: string) => `${head}"${hash}"`));
    expect(outcome).toMatchObject({ outcome: 'applied' });
    expect(await closed).toBe('credentials changed; log in again');
    expect((await aliceHttp.me()).status).toBe(401);
    expect((await bobHttp.me()).status).toBe(200); // only alice's hash changed
    expect((await new AgentClient(d.url).login('alice', 'pw')).status).toBe(401);
    expect((await new AgentClient(d.url).login('alice', 'new-pw')).status).toBe(200);
  });

  it('a disabled or removed department: its queued chats fall back per the routing rules, open chats keep their agent', async () => {
    const d = await start('departments');
    await loginAs(d.url, 'alice');
    await loginAs(d.url, 'bob');
    const served = await openChat(d.url, { department: 'sales' });
    const queuedSales = await openChat(d.url, { department: 'sales' });
    const queuedBilling = await openChat(d.url, { department: 'billing' });
    // alice serves one chat at a time and is the only agent of sales and billing.
    expect([served, queuedSales, queuedBilling].map((c) => servedByOf(c.room))).toEqual(['alice', 'queued', 'queued']);

    const outcome = await d.rewrite((text) => text.replace('enabled: true', 'enabled: false').replace(/^ {2}- \{ id: billing.*\n/m, ''));
    expect(outcome).toMatchObject({ outcome: 'applied' });
    // Fallback: the first enabled department shown on registration with an online agent — support, bob.
    const now = async (c: { visitor: VisitorClient }) => (await c.visitor.room()).body.room;
    expect(await now(queuedSales)).toMatchObject({ departmentId: 'support', servedBy: { username: 'bob' } });
    expect(await now(queuedBilling)).toMatchObject({ departmentId: 'support', servedBy: { username: 'bob' } });
    expect(await now(served)).toMatchObject({ departmentId: 'sales', servedBy: { username: 'alice' }, open: true });
  });

  it('capacity and routing mode apply to the queue and to the next routing decision', async () => {
    const d = await start('routing');
    const alice = await loginAs(d.url, 'alice');
    const first = await openChat(d.url);
    const second = await openChat(d.url);
    expect([first, second].map((c) => servedByOf(c.room))).toEqual(['alice', 'queued']);

    // More capacity: the waiting chat is routed by the reload itself.
    expect(await d.rewrite((text) => text.replace('maxChatsPerAgent: 1', 'maxChatsPerAgent: 5'))).toMatchObject({ outcome: 'applied' });
    expect(servedByOf((await second.visitor.room()).body.room)).toBe('alice');

    // Manual routing: the next chat waits although alice has room for it.
    expect(await d.rewrite((text) => text.replace('routing: round-robin', 'routing: manual'))).toMatchObject({ outcome: 'applied' });
    const third = await openChat(d.url);
    expect(servedByOf(third.room)).toBe('queued');
    expect((await alice.queue()).body.rooms.map((r) => r._id)).toEqual([third.room._id]);

    // Back to round robin: the queue is drained under the new mode.
    expect(await d.rewrite((text) => text.replace('routing: manual', 'routing: round-robin'))).toMatchObject({ outcome: 'applied' });
    expect(servedByOf((await third.visitor.room()).body.room)).toBe('alice');
    expect((await alice.queue()).body.rooms).toEqual([]);
  });

  it('a burst of 20 reload requests runs at most two pipelines, and all of them get an outcome', async () => {
    const d = await start('base');
    await writeFile(d.file, await titled('After the burst'));
    let runs = 0;
    d.daemon.onReload(() => (runs += 1));
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => d.daemon.reload()));
    expect(runs).toBeGreaterThanOrEqual(1);
    expect(runs).toBeLessThanOrEqual(2);
    expect(outcomes.every((o) => o.outcome === 'applied' || o.outcome === 'unchanged')).toBe(true);
    expect(d.daemon.config.state().generation).toBe(2);
    expect(await title(d.url)).toBe('After the burst');
  });

  it('counts reloads by outcome in /metrics and shows the generation in /readyz', async () => {
    const d = await start('base');
    const counts = async () => {
      const text = await (await fetch(`${d.url}/metrics`)).text();
      const of = (outcome: string) => Number(new RegExp(`^livechat_config_reloads_total\\{outcome="${outcome}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
      return { applied: of('applied'), unchanged: of('unchanged'), refused: of('refused') };
    };
    const readyz = async () => ((await (await fetch(`${d.url}/readyz`)).json()) as { config: { hash: string; generation: number } }).config;
    const before = await counts();
    expect(await readyz()).toMatchObject({ generation: 1, hash: d.daemon.config.current().hash });

    expect(await d.rewrite((text) => text.replace('Title v1', 'Title v2'))).toMatchObject({ outcome: 'applied', generation: 2 });
    expect(await d.rewrite((text) => text)).toMatchObject({ outcome: 'unchanged' });
    expect(await d.rewrite((text) => text.replace('maxChatsPerAgent: 5', 'maxChatsPerAgent: -1'))).toMatchObject({ outcome: 'refused' });
    expect(await d.rewrite((text) => text.replace('maxChatsPerAgent: -1', 'maxChatsPerAgent: 6'))).toMatchObject({ outcome: 'applied', generation: 3 });

    expect(await counts()).toEqual({ applied: before.applied + 2, unchanged: before.unchanged + 1, refused: before.refused + 1 });
    expect(await readyz()).toMatchObject({ generation: 3, hash: d.daemon.config.current().hash });
  });
});

describe('SIGHUP', () => {
  it('applies a change the watcher cannot see', async () => {
    // --config is a symlink into a directory the watcher does not watch (it watches the symlink's own directory),
    // so an edit of the target is applied only if the signal reloads.
    const real = join(dir.path, 'real');
    const linked = join(dir.path, 'linked');
    await mkdir(real);
    await mkdir(linked);
    await writeFile(join(real, 'livechat.yaml'), await base());
    await symlink(join(real, 'livechat.yaml'), join(linked, 'livechat.yaml'));
    const d = await spawnDaemon(join(linked, 'livechat.yaml'), { DATA_DIR: join(dir.path, 'data') });
    try {
      await writeFile(join(real, 'livechat.yaml'), await titled('After SIGHUP'));
      const applied = waitForLog(d.child, 'configuration applied');
      d.child.kill('SIGHUP');
      expect(await within(applied, 15_000, 'the reload that SIGHUP asks for')).toMatchObject({ generation: 2 });
      expect(await title(d.url)).toBe('After SIGHUP');
    } finally {
      expect((await d.stop()).code).toBe(0);
    }
  });
});

async function login(url: string, username: string): Promise<{ token: string }> {
  const res = await fetch(`${url}/api/v1/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'pw' }) });
  return (await res.json()) as { token: string };
}
