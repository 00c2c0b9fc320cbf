/**
 * Abuse: sizes. Every oversized input is refused with a clear error and stores nothing, and a thousand of them
 * leave the heap where it was. Fixture: security/sizes.yaml (messageMaxLength 200 → 64 KiB body limit and
 * 16 KiB WebSocket maxPayload; server.limits.headerBytes 8192).
 *
 * Covered elsewhere, not repeated here: a visitor message body over 64 KiB with and without Content-Length
 * (test/integration/http-input.test.ts "a body over 64 KiB"), a visitor message over messageMaxLength
 * (http-input.test.ts, chat-visitor-errors.test.ts), the upload refusal without reading the file (http-input.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request, VisitorClient, loginAs, type AgentClient, type Reply } from '../helpers/chat.js';
import { heapAfterGc, newVisitorToken, rawHttp, rawSocket, securityDaemon, type SecurityDaemon } from './helpers.js';

let d: SecurityDaemon;
let visitor: VisitorClient;
let rid: string;
let alice: AgentClient;

beforeAll(async () => {
  d = await securityDaemon('sizes');
  alice = await loginAs(d.url, 'alice');
  visitor = new VisitorClient(d.url);
  const opened = await visitor.start({ name: 'Vera' });
  expect(opened.status).toBe(200);
  rid = opened.body.room._id;
  expect((await visitor.send(rid, 'first')).status).toBe(200);
});

afterAll(async () => {
  await d?.cleanup();
});

function expectInvalid(reply: Reply<unknown>, mentions: RegExp): void {
  expect(reply.status).toBe(400);
  expect(reply.body).toMatchObject({ success: false, errorType: 'invalid-params', error: expect.stringMatching(mentions) });
}

async function conversation(): Promise<string[]> {
  return (await visitor.history(rid)).body.messages.map((m) => m.msg).reverse();
}

describe('request bodies', () => {
  it('over 64 KiB on any JSON endpoint: 413 payload-too-large in JSON, nothing stored', async () => {
    const token = newVisitorToken();
    const padding = 'x'.repeat(70 * 1024);
    const register = await request(d.url, 'POST', '/api/v1/livechat/visitor', { body: { visitor: { token, name: padding } } });
    expect(register).toMatchObject({ status: 413, body: { success: false, errorType: 'payload-too-large', error: expect.stringMatching(/larger than 65536 bytes/) } });
    const login = await request(d.url, 'POST', '/api/v1/agent/login', { body: { username: 'alice', password: padding } });
    expect(login).toMatchObject({ status: 413, body: { errorType: 'payload-too-large' } });
    const fields = await request(d.url, 'POST', '/api/v1/livechat/custom.fields', { body: { token: visitor.token, customFields: [{ key: 'company', value: padding, overwrite: true }] } });
    expect(fields).toMatchObject({ status: 413, body: { errorType: 'payload-too-large' } });
    const agentSend = await alice.send(rid, padding);
    expect(agentSend).toMatchObject({ status: 413, body: { errorType: 'payload-too-large' } });
    expect((await new VisitorClient(d.url, token).getVisitor()).body).toMatchObject({ errorType: 'invalid-token' });
    expect((await visitor.getVisitor()).body.visitor.livechatData).toEqual({});
    expect(await conversation()).toEqual(['first']);
  });
});

describe('message length (livechat.messageMaxLength: 200)', () => {
  it('an agent message over the limit: 400 over REST, an error frame over /ws/agent; an edit cannot grow one either', async () => {
    const long = 'y'.repeat(201);
    expect(await alice.send(rid, long)).toMatchObject({ status: 400, body: { errorType: 'message-length-exceeds-character-limit' } });
    const ws = rawSocket(d.url, '/ws/agent');
    await ws.opened;
    ws.ws.send(JSON.stringify({ type: 'auth', token: alice.token }));
    expect(await ws.frame(1)).toMatchObject({ type: 'ready' });
    ws.ws.send(JSON.stringify({ type: 'send', rid, msg: long, clientMsgId: 'too-long' }));
    expect(await ws.nth('error', 1)).toMatchObject({ type: 'error', code: 'message-length-exceeds-character-limit', id: 'too-long' });
    ws.ws.close();

    const mine = await visitor.send(rid, 'short');
    expect(mine.status).toBe(200);
    const edit = await request(d.url, 'PUT', `/api/v1/livechat/message/${mine.body.message._id}`, { body: { token: visitor.token, rid, msg: long } });
    expect(edit).toMatchObject({ status: 400, body: { success: false } });
    expect(await conversation()).toEqual(['first', 'short']);
  });
});

describe('custom-field values, names and other visitor text', () => {
  const T = () => visitor.token;
  const big = (n: number) => 'z'.repeat(n);
  const cases: [string, string, () => unknown, RegExp][] = [
    ['POST', 'custom.field', () => ({ token: T(), key: 'company', value: big(4097), overwrite: true }), /value must NOT have more than 4096 characters|value .*4096/],
    ['POST', 'custom.fields', () => ({ token: T(), customFields: [{ key: 'company', value: big(4097), overwrite: true }] }), /customFields\[0\]\.value .*4096/],
    ['POST', 'custom.field', () => ({ token: T(), key: big(129), value: 'v', overwrite: true }), /key .*128/],
    ['POST', 'visitor', () => ({ visitor: { token: newVisitorToken(), customFields: [{ key: 'company', value: big(4097), overwrite: true }] } }), /visitor\.customFields\[0\]\.value .*4096/],
    ['POST', 'visitor', () => ({ visitor: { token: newVisitorToken(), name: big(257) } }), /visitor\.name .*256/],
    ['POST', 'visitor', () => ({ visitor: { token: newVisitorToken(), email: `${big(250)}@x.io` } }), /visitor\.email .*254/],
    ['POST', 'visitor', () => ({ visitor: { token: newVisitorToken(), department: big(129) } }), /visitor\.department .*128/],
    ['POST', 'visitor', () => ({ visitor: { token: newVisitorToken(), phone: big(65) } }), /visitor\.phone .*64/],
    ['POST', 'visitor', () => ({ visitor: { token: newVisitorToken(), customFields: Array.from({ length: 101 }, () => ({ key: 'company', value: 'v', overwrite: true })) } }), /customFields .*100/],
    ['POST', 'offline.message', () => ({ name: big(257), email: 'a@example.com', message: 'hi' }), /name .*256/],
    ['POST', 'offline.message', () => ({ name: 'N', email: 'a@example.com', message: big(20001) }), /message .*20000/],
    ['POST', 'page.visited', () => ({ token: T(), rid, pageInfo: { change: 'url', title: big(1025), location: { href: 'https://x.example/' } } }), /pageInfo\.title .*1024/],
    ['POST', 'page.visited', () => ({ token: T(), rid, pageInfo: { change: 'url', title: 't', location: { href: `https://x.example/${big(4100)}` } } }), /pageInfo\.location\.href .*4096/],
    ['POST', 'room.survey', () => ({ token: T(), rid, data: [{ name: 'additionalFeedback', value: big(4097) }] }), /data\[0\]\.value .*4096/],
  ];

  it.each(cases)('%s %s refuses an oversized field %#', async (method, path, body, mentions) => {
    expectInvalid(await request(d.url, method, `/api/v1/livechat/${path}`, { body: body() }), mentions);
  });

  it('stored none of it', async () => {
    const me = (await visitor.getVisitor()).body.visitor;
    expect(me.livechatData).toEqual({});
    expect(me.name).toBe('Vera');
    expect((await alice.messages(rid)).body.messages.map((m) => m.msg)).toEqual(expect.not.arrayContaining([expect.stringMatching(/^z{100}/)]));
  });
});

describe('WebSocket maxPayload (16 KiB here)', () => {
  it('a bigger frame closes the socket with 1009, before and after authentication, on both channels', async () => {
    const frame = JSON.stringify({ type: 'auth', token: 'x'.repeat(17 * 1024) });
    for (const path of ['/ws/visitor', '/ws/agent']) {
      const s = rawSocket(d.url, path);
      await s.opened;
      s.ws.send(frame);
      expect((await s.closed).code, path).toBe(1009);
    }
    const visitorSocket = rawSocket(d.url, '/ws/visitor');
    await visitorSocket.opened;
    visitorSocket.ws.send(JSON.stringify({ type: 'auth', token: visitor.token }));
    await visitorSocket.frame(1);
    visitorSocket.ws.send(JSON.stringify({ type: 'typing', rid, typing: true, pad: 'p'.repeat(17 * 1024) }));
    expect((await visitorSocket.closed).code).toBe(1009);

    const session = await loginAs(d.url, 'alice');
    const agentSocket = rawSocket(d.url, '/ws/agent');
    await agentSocket.opened;
    agentSocket.ws.send(JSON.stringify({ type: 'auth', token: session.token }));
    expect(await agentSocket.frame(1)).toMatchObject({ type: 'ready' });
    const stored = await conversation();
    agentSocket.ws.send(JSON.stringify({ type: 'send', rid, msg: 'm'.repeat(17 * 1024), clientMsgId: 'big' }));
    expect((await agentSocket.closed).code).toBe(1009);
    expect(await conversation()).toEqual(stored);
  });
});

describe('request heads (server.limits.headerBytes: 8192)', () => {
  it('a head over the limit is answered 431, for requests and WebSocket upgrades; one under it is served', async () => {
    const under = await rawHttp(d.url, { path: '/healthz', headers: { 'x-padding': 'a'.repeat(6 * 1024) } });
    expect(under.status).toBe(200);
    const over = await rawHttp(d.url, { path: '/api/v1/livechat/config', headers: { 'x-padding': 'a'.repeat(10 * 1024) } });
    expect(over.status).toBe(431);
    // Refused by Node before any route, and still answered in JSON like everything else.
    expect(JSON.parse(over.text)).toEqual({ success: false, error: 'Request head larger than 8192 bytes [invalid-params]', errorType: 'invalid-params' });
    const manyHeaders = Object.fromEntries(Array.from({ length: 400 }, (_, i) => [`x-h${i}`, 'v'.repeat(20)]));
    expect((await rawHttp(d.url, { path: '/healthz', headers: manyHeaders })).status).toBe(431);
    const upgrade = rawSocket(d.url, '/ws/visitor', { 'x-padding': 'a'.repeat(10 * 1024) });
    await expect(upgrade.opened).rejects.toThrow(/431|socket hang up|ECONNRESET/);
    expect((await fetch(`${d.url}/healthz`)).status).toBe(200);
  });
});

describe('memory under 1,000 oversized requests', () => {
  it('the heap after GC stays flat (generous bound), and every request got its refusal', async () => {
    const oversizedBody = JSON.stringify({ token: visitor.token, rid, msg: 'o'.repeat(80 * 1024) });
    const kinds: (() => Promise<number>)[] = [
      // 413: body over the limit (Content-Length known up front).
      async () => (await fetch(`${d.url}/api/v1/livechat/message`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: oversizedBody })).status,
      // 431: request head over the limit.
      async () => (await rawHttp(d.url, { path: '/api/v1/livechat/config', headers: { 'x-padding': 'h'.repeat(12 * 1024) } })).status,
      // 400: a message within the body limit, over messageMaxLength.
      async () => (await visitor.send(rid, 'l'.repeat(5000))).status,
      // 400: a custom-field value over its schema bound.
      async () => (await request(d.url, 'POST', '/api/v1/livechat/custom.field', { body: { token: visitor.token, key: 'company', value: 'v'.repeat(10_000), overwrite: true } })).status,
    ];
    const expected = [413, 431, 400, 400];
    const run = async (count: number) => {
      const seen = new Map<number, number>();
      // 4 in flight at a time: bounded, and the refusals overlap like they would under attack.
      for (let i = 0; i < count; i += 4) {
        const statuses = await Promise.all(kinds.map((k) => k()));
        statuses.forEach((s, j) => {
          expect(s, `kind ${j}`).toBe(expected[j]);
          seen.set(s, (seen.get(s) ?? 0) + 1);
        });
      }
      return seen;
    };
    const stored = await conversation();
    await run(100); // warm-up: JIT, pools, caches
    const before = heapAfterGc();
    const seen = await run(1000);
    const after = heapAfterGc();
    expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(1000);
    // 1,000 × ≥ 5 KB of refused input went through; a leak of even one buffer each would show as tens of MB.
    expect(after - before, `heap grew from ${before} to ${after}`).toBeLessThan(16 * 1024 * 1024);
    expect(await conversation()).toEqual(stored);
    expect((await fetch(`${d.url}/healthz`)).status).toBe(200);
  }, 120_000);
});
