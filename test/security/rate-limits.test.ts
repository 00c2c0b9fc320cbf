/**
 * Rate limits (`livechat.limits`, `server.limits.wsConnectionsPerIp`) as a client meets them: 429 with
 * Retry-After and Rocket.Chat's error-too-many-requests body over HTTP, 429 before the WebSocket handshake, close
 * 1008 for a connection that sends too many frames. A refused request changes nothing, and one client's excess
 * never costs another its budget. Login limits are in test/integration/chat-agent-auth.test.ts.
 */
import { WebSocket } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { CLOSE } from '../../src/realtime/close-codes.js';
import { request, VisitorClient, type Reply } from '../helpers/chat.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/tmp.js';

const running: { d: TestDaemon; dir: { remove: () => Promise<void> } }[] = [];
afterEach(async () => {
  for (const { d, dir } of running.splice(0)) {
    await d.stop();
    await dir.remove();
  }
});

async function start(fixture = 'rate-limits'): Promise<string> {
  const dir = await tempDir('livechatd-limits-');
  const d = await startDaemon(`security/${fixture}.yaml`, { DATA_DIR: dir.path });
  running.push({ d, dir });
  return d.url;
}

function expectTooMany(reply: Reply<unknown>): void {
  expect(reply.status).toBe(429);
  expect(reply.body).toEqual({
    success: false,
    error: expect.stringMatching(/^Error, too many requests\. Please slow down\. You must wait \d+ seconds before trying this endpoint again\. \[error-too-many-requests\]$/),
    errorType: 'error-too-many-requests',
  });
  expect(reply.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
}

/** Opens a raw socket; resolves with the HTTP status of a refused upgrade, or the open socket. */
function connect(url: string, path: string, headers: Record<string, string> = {}): Promise<{ ws?: WebSocket; status?: number; retryAfter?: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace(/^http/, 'ws') + path, { headers });
    ws.on('open', () => resolve({ ws }));
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode!, retryAfter: String(res.headers['retry-after']) }));
    ws.on('error', reject);
  });
}

const closed = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

describe('HTTP rate limits', () => {
  it('visitor registrations per IP: the one over the limit is refused and not stored', async () => {
    const url = await start();
    for (let i = 0; i < 3; i++) expect((await new VisitorClient(url).register({ name: `V${i}` })).status).toBe(200);
    const late = new VisitorClient(url);
    expectTooMany(await late.register({ name: 'Late' }));
    expect((await late.getVisitor()).body).toMatchObject({ success: false, errorType: 'invalid-token' });
  });

  it('without trustProxy a forged X-Forwarded-For does not buy a new budget', async () => {
    const url = await start();
    for (let i = 0; i < 3; i++) await new VisitorClient(url).register();
    const forged = await request(url, 'POST', '/api/v1/livechat/visitor', {
      headers: { 'x-forwarded-for': '203.0.113.9' },
      body: { visitor: { token: new VisitorClient(url).token } },
    });
    expectTooMany(forged);
  });

  it('behind a trusted proxy each client has its own budget, and what the client itself put in the header buys none', async () => {
    const url = await start('rate-limits-behind-proxy');
    // The proxy appends the address it saw; anything before it was sent by the client.
    const register = (ip: string, forged = '203.0.113.66') =>
      request(url, 'POST', '/api/v1/livechat/visitor', { headers: { 'x-forwarded-for': `${forged}, ${ip}` }, body: { visitor: { token: new VisitorClient(url).token } } });
    expect((await register('198.51.100.1')).status).toBe(200);
    expectTooMany(await register('198.51.100.1', '203.0.113.67'));
    expect((await register('198.51.100.2')).status).toBe(200);
  });

  it('new rooms per IP: asking again for an open room does not count', async () => {
    const url = await start();
    const [a, b, c] = [new VisitorClient(url), new VisitorClient(url), new VisitorClient(url)];
    for (const v of [a, b, c]) await v.register();
    expect((await a.room()).body).toMatchObject({ newRoom: true });
    expect((await b.room()).body).toMatchObject({ newRoom: true });
    expect((await a.room()).body).toMatchObject({ newRoom: false });
    expectTooMany(await c.room());
    // Nothing was opened for c: no room shows up in its config.
    expect((await c.config()).body.config).not.toHaveProperty('room');
  });

  it('messages per visitor: the one over the limit is not stored; another visitor still talks', async () => {
    const url = await start();
    const [a, b] = [new VisitorClient(url), new VisitorClient(url)];
    const rooms: string[] = [];
    for (const v of [a, b]) {
      await v.register();
      rooms.push((await v.room()).body.room._id);
    }
    for (let i = 1; i <= 5; i++) expect((await a.send(rooms[0]!, `m${i}`)).status).toBe(200);
    expectTooMany(await a.send(rooms[0]!, 'one too many'));
    const history = (await a.history(rooms[0]!)).body.messages.map((m) => m.msg);
    expect(history).not.toContain('one too many');
    expect(history.filter((m) => /^m\d$/.test(m))).toHaveLength(5);
    expect((await b.send(rooms[1]!, 'hello')).status).toBe(200);
  });

  it('messages per visitor count sends over /ws/visitor too: the one over the limit gets an error frame and is not stored', async () => {
    const url = await start();
    const visitor = new VisitorClient(url);
    await visitor.register();
    const rid = (await visitor.room()).body.room._id;
    for (let i = 1; i <= 4; i++) expect((await visitor.send(rid, `m${i}`)).status).toBe(200);
    const { ws } = await connect(url, '/ws/visitor');
    const answers: Record<string, unknown>[] = [];
    const three = new Promise<void>((resolve) =>
      ws!.on('message', (data) => {
        answers.push(JSON.parse(data.toString()) as Record<string, unknown>);
        if (answers.length === 3) resolve();
      }),
    );
    ws!.send(JSON.stringify({ type: 'auth', token: visitor.token }));
    ws!.send(JSON.stringify({ type: 'send', rid, msg: 'm5', clientMsgId: 'ws-5' }));
    ws!.send(JSON.stringify({ type: 'send', rid, msg: 'one too many', clientMsgId: 'ws-6' }));
    await three;
    expect(answers.map((f) => f.type)).toEqual(['ready', 'ack', 'error']);
    expect(answers[2]).toMatchObject({ code: 'error-too-many-requests', id: 'ws-6' });
    const history = (await visitor.history(rid)).body.messages.map((m) => m.msg);
    expect(history).toContain('m5');
    expect(history).not.toContain('one too many');
    ws!.terminate();
  });

  it('page visits per IP, registered or not (a fresh token per request buys nothing)', async () => {
    const url = await start();
    const visit = () =>
      request(url, 'POST', '/api/v1/livechat/page.visited', {
        body: { token: new VisitorClient(url).token, pageInfo: { change: 'url', title: 'Shop', location: { href: 'https://shop.example/' } } },
      });
    expect((await visit()).status).toBe(200);
    expect((await visit()).status).toBe(200);
    expectTooMany(await visit());
  });

  it('offline messages per IP', async () => {
    const url = await start();
    const send = () => request(url, 'POST', '/api/v1/livechat/offline.message', { body: { name: 'N', email: 'n@example.com', message: 'call me' } });
    expect((await send()).status).toBe(200);
    expect((await send()).status).toBe(200);
    const refused = await send();
    expect(refused.status).toBe(429);
    expect(refused.body).toMatchObject({ success: false, errorType: 'error-too-many-requests' });
  });
});

describe('WebSocket limits', () => {
  it('open connections per IP: the one over the limit is refused with 429 before the handshake; a freed slot is reusable', async () => {
    const url = await start();
    const open = await Promise.all([connect(url, '/ws/visitor'), connect(url, '/ws/agent'), connect(url, '/websocket')]);
    expect(open.every((c) => c.ws)).toBe(true);
    const refused = await connect(url, '/ws/visitor');
    expect(refused).toEqual({ status: 429, retryAfter: expect.stringMatching(/^\d+$/) });

    const gone = closed(open[0]!.ws!);
    open[0]!.ws!.close();
    await gone;
    const again = await connect(url, '/ws/visitor');
    expect(again.ws).toBeDefined();
    for (const c of [...open.slice(1), again]) c.ws!.terminate();
  });

  it('behind a trusted proxy the forwarded address is the one counted', async () => {
    const url = await start('rate-limits-behind-proxy');
    const first = await connect(url, '/ws/visitor', { 'x-forwarded-for': '198.51.100.1' });
    expect(first.ws).toBeDefined();
    expect((await connect(url, '/ws/visitor', { 'x-forwarded-for': '203.0.113.66, 198.51.100.1' })).status).toBe(429);
    const other = await connect(url, '/ws/visitor', { 'x-forwarded-for': '198.51.100.2' });
    expect(other.ws).toBeDefined();
    for (const c of [first, other]) c.ws!.terminate();
  });

  it('frames per connection: a flooding socket is closed with 1008, a quiet one stays open', async () => {
    const url = await start();
    const visitor = new VisitorClient(url);
    await visitor.register();
    const rid = (await visitor.room()).body.room._id;
    const { ws: flooder } = await connect(url, '/ws/visitor');
    const { ws: quiet } = await connect(url, '/websocket');
    const flooded = closed(flooder!);
    // Every frame is valid (auth, then typing): the limit is on how many, not on what.
    flooder!.send(JSON.stringify({ type: 'auth', token: visitor.token }));
    for (let i = 0; i < 25; i++) flooder!.send(JSON.stringify({ type: 'typing', rid, typing: i % 2 === 0 }));
    expect(await flooded).toBe(CLOSE.policyViolation);

    quiet!.send(JSON.stringify({ msg: 'connect', version: '1', support: ['1'] }));
    const answer = await new Promise<string>((resolve) => quiet!.once('message', (data) => resolve(data.toString())));
    expect(JSON.parse(answer)).toMatchObject({ msg: 'connected' });
    quiet!.terminate();
  });
});
