import { WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLOSE } from '../../src/realtime/close-codes.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent, visitor } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';

/** A raw socket that records frames and its close code. */
function raw(url: string, path: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + path, { headers });
  const frames: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString()) as Record<string, unknown>);
    waiters.splice(0).forEach((w) => w());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const opened = new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
  });
  const frame = async (n: number) => {
    while (frames.length < n) await new Promise<void>((r) => waiters.push(r));
    return frames[n - 1]!;
  };
  return { ws, frames, closed, opened, frame };
}

describe('realtime: limits and bad input', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let d: TestDaemon;
  beforeEach(async () => {
    dir = await tempDir();
    d = await startDaemon('realtime/two-agents.yaml', { DATA_DIR: dir.path }, { realtime: { authTimeoutMs: 200, maxBufferedBytes: 64 * 1024, maxInvalidFrames: 3 } });
  });
  afterEach(async () => {
    await d.stop();
    await dir.remove();
  });

  it('refuses an upgrade from an origin that is not allowed, before the handshake', async () => {
    const bad = raw(d.url, '/ws/visitor', { origin: 'http://evil.example' });
    await expect(bad.opened).rejects.toThrow('HTTP 403');
    const good = raw(d.url, '/ws/visitor', { origin: 'http://shop.example' });
    await good.opened;
    good.ws.close();
  });

  it('closes a connection that never authenticates', async () => {
    const c = raw(d.url, '/ws/agent');
    await c.opened;
    expect(await c.closed).toEqual({ code: CLOSE.authTimeout, reason: 'no auth frame in time' });
  });

  it('closes with the auth-failed code on a wrong token', async () => {
    const c = raw(d.url, '/ws/agent');
    await c.opened;
    c.ws.send(JSON.stringify({ type: 'auth', token: 'not-a-session' }));
    expect((await c.closed).code).toBe(CLOSE.authFailed);
    const v = raw(d.url, '/ws/visitor');
    await v.opened;
    v.ws.send(JSON.stringify({ type: 'auth', token: 'unknown-visitor-token-000000' }));
    expect((await v.closed).code).toBe(CLOSE.authFailed);
  });

  it('answers schema-invalid frames with an error frame and changes nothing; repeated abuse closes with 1008', async () => {
    const alice = await agent(d.url, 'alice');
    const vera = await visitor(d.url);
    const token = await loginToken(d.url, 'bob');
    const s = raw(d.url, '/ws/agent');
    await s.opened;
    s.ws.send(JSON.stringify({ type: 'auth', token }));
    expect(await s.frame(1)).toMatchObject({ type: 'ready' });
    s.ws.send('{not json');
    expect(await s.frame(2)).toMatchObject({ type: 'error', code: 'invalid-frame' });
    s.ws.send(JSON.stringify({ type: 'send', rid: vera.rid, msg: 42, clientMsgId: 'x1' }));
    expect(await s.frame(3)).toMatchObject({ type: 'error', code: 'invalid-frame', message: expect.stringContaining('msg') });
    s.ws.send(`{"__proto__":{"polluted":true},"type":"close","rid":"${vera.rid}"}`);
    expect(await s.frame(4)).toMatchObject({ type: 'error', code: 'invalid-frame' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    s.ws.send(JSON.stringify({ type: 'explode' }));
    expect((await s.closed).code).toBe(CLOSE.policyViolation);
    // The room is untouched: still open, still alice's.
    expect(await alice.frames.next((f) => f.type === 'room.assigned')).toMatchObject({ room: { servedBy: { username: 'alice' } } });
    expect(alice.frames.frames.some((f) => f.type === 'room.closed')).toBe(false);
    alice.client.disconnect();
    vera.client.disconnect();
  });

  it('cuts off a visitor that stops reading, while others keep receiving', async () => {
    const alice = await agent(d.url, 'alice');
    const bob = await agent(d.url, 'bob');
    const slow = await visitor(d.url, 'Slow');
    const fast = await visitor(d.url, 'Fast');
    const slowRid = slow.rid;
    // A raw connection for the slow visitor that never reads its socket.
    const stuck = raw(d.url, '/ws/visitor');
    await stuck.opened;
    stuck.ws.send(JSON.stringify({ type: 'auth', token: slow.client.token }));
    await stuck.frame(1);
    stuck.ws.send(JSON.stringify({ type: 'resume', rid: slowRid, afterSeq: 0 }));
    (stuck.ws as unknown as { _socket: { pause(): void } })._socket.pause();

    const server = [alice, bob].find((a) => a.frames.frames.some((f) => f.type === 'room.assigned' && (f.room as { _id: string })._id === slowRid)) ?? alice;
    const big = 'x'.repeat(4000);
    const isCut = () => d.logs.some((line) => line.includes('client not reading'));
    for (let i = 0; i < 5000 && !isCut(); i++) await server.client.send(slowRid, `${i} ${big}`);
    expect(isCut()).toBe(true);
    (stuck.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect([CLOSE.tryAgainLater, 1006]).toContain((await stuck.closed).code);

    const other = [alice, bob].find((a) => a !== server)!;
    await other.client.send(fast.rid, 'still here');
    expect(await fast.frames.next((f) => f.type === 'message' && (f.message as { msg: string }).msg === 'still here')).toBeTruthy();
    for (const c of [alice.client, bob.client, slow.client, fast.client]) c.disconnect();
  });
});

async function loginToken(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'pw' }) });
  return ((await res.json()) as { token: string }).token;
}
