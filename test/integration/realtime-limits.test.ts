import { WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLOSE } from '../../src/realtime/close-codes.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent, rawSocket as raw, visitor, within } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';
import { RawDdp, streamArgs } from './ddp-raw-client.js';

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

  it('closes with 1009 on a frame larger than the limit, before authentication as after', async () => {
    const before = raw(d.url, '/ws/agent');
    await before.opened;
    before.ws.send(JSON.stringify({ type: 'auth', token: 'x'.repeat(2 * 1024 * 1024) }));
    expect((await before.closed).code).toBe(CLOSE.tooBig);
    const alice = await agent(d.url, 'alice');
    const vera = await visitor(d.url);
    const after = raw(d.url, '/ws/visitor');
    await after.opened;
    after.ws.send(JSON.stringify({ type: 'auth', token: vera.client.token }));
    expect(await after.frame(1)).toMatchObject({ type: 'ready' });
    after.ws.send(JSON.stringify({ type: 'typing', rid: vera.rid, typing: true, pad: 'x'.repeat(2 * 1024 * 1024) }));
    expect((await after.closed).code).toBe(CLOSE.tooBig);
    alice.client.disconnect();
    vera.client.disconnect();
  });

  it('closes with 1007 on a text frame that is not valid UTF-8', async () => {
    const c = raw(d.url, '/ws/visitor');
    await c.opened;
    c.ws.send(Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), { binary: false }); // {"<0xff 0xfe>"} as text
    expect((await c.closed).code).toBe(CLOSE.invalidPayload);
  });

  it('answers schema-invalid visitor frames with an error frame and changes nothing', async () => {
    const alice = await agent(d.url, 'alice');
    const vera = await visitor(d.url);
    await alice.frames.next((f) => f.type === 'room.assigned');
    const v = raw(d.url, '/ws/visitor');
    await v.opened;
    v.ws.send(JSON.stringify({ type: 'auth', token: vera.client.token }));
    expect(await v.frame(1)).toMatchObject({ type: 'ready', room: { _id: vera.rid } });
    v.ws.send(JSON.stringify({ type: 'typing', rid: 42, typing: true }));
    expect(await v.frame(2)).toMatchObject({ type: 'error', code: 'invalid-frame', message: expect.stringContaining('rid') });
    // `take` is an agent frame.
    v.ws.send(JSON.stringify({ type: 'take', rid: vera.rid }));
    expect(await v.frame(3)).toMatchObject({ type: 'error', code: 'invalid-frame', message: expect.stringContaining('unknown frame type') });
    // A valid frame still works on the same socket, and is the first thing alice hears of it: nothing else changed.
    const since = alice.frames.frames.length;
    v.ws.send(JSON.stringify({ type: 'typing', rid: vera.rid, typing: true }));
    await alice.frames.next((f) => f.type === 'typing' && f.rid === vera.rid, since);
    expect(alice.frames.frames.slice(since).map((f) => f.type)).toEqual(['typing']);
    expect(alice.frames.messages(vera.rid)).toEqual([]);
    expect(v.ws.readyState).toBe(WebSocket.OPEN);
    v.ws.close();
    alice.client.disconnect();
    vera.client.disconnect();
  });

  it('cuts off a DDP (/websocket) client that stops reading with 1013, while the visitor’s other socket keeps receiving', async () => {
    const alice = await agent(d.url, 'alice');
    const vera = await visitor(d.url);
    await alice.frames.next((f) => f.type === 'room.assigned' && (f.room as { _id: string })._id === vera.rid);
    const ddp = await RawDdp.connect(d.url);
    ddp.send({ msg: 'sub', id: 'm', name: 'stream-room-messages', params: [vera.rid, streamArgs(vera.client.token)] });
    await ddp.next((f) => f.msg === 'ready', 'the messages sub');
    (ddp.ws as unknown as { _socket: { pause(): void } })._socket.pause();

    const big = 'x'.repeat(4000);
    const isCut = () => d.logs.some((line) => line.includes('"channel":"ddp"') && line.includes('client not reading'));
    for (let i = 0; i < 5000 && !isCut(); i++) await alice.client.send(vera.rid, `${i} ${big}`);
    expect(isCut()).toBe(true);
    (ddp.ws as unknown as { _socket: { resume(): void } })._socket.resume();
    expect([CLOSE.tryAgainLater, 1006]).toContain((await ddp.closed).code);
    await alice.client.send(vera.rid, 'still here');
    expect(await vera.frames.next((f) => f.type === 'message' && (f.message as { msg: string }).msg === 'still here')).toBeTruthy();
    alice.client.disconnect();
    vera.client.disconnect();
  });
});

describe('realtime: heartbeat', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let d: TestDaemon;
  beforeEach(async () => {
    dir = await tempDir();
    d = await startDaemon('realtime/two-agents.yaml', { DATA_DIR: dir.path }, { heartbeatMs: 100 });
  });
  afterEach(async () => {
    await d.stop();
    await dir.remove();
  });

  it('terminates a connection that does not answer pings, and keeps one that does', async () => {
    const alice = await agent(d.url, 'alice');
    const vera = await visitor(d.url);
    const open = async (autoPong: boolean) => {
      const c = raw(d.url, '/ws/visitor', {}, { autoPong });
      await c.opened;
      c.ws.send(JSON.stringify({ type: 'auth', token: vera.client.token }));
      await c.frame(1);
      return c;
    };
    const silent = await open(false);
    const answering = await open(true);
    let pings = 0;
    silent.ws.on('ping', () => (pings += 1));
    // Terminated without a close handshake (1006 on this side) after an interval with no pong and no frame.
    expect((await within(silent.closed, 5_000, 'the silent connection is terminated')).code).toBe(1006);
    expect(pings).toBeGreaterThanOrEqual(1);
    expect(answering.ws.readyState).toBe(WebSocket.OPEN);
    answering.ws.close();
    alice.client.disconnect();
    vera.client.disconnect();
  });
});

async function loginToken(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'pw' }) });
  return ((await res.json()) as { token: string }).token;
}
