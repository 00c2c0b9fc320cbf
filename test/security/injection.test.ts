/**
 * Abuse: injection and confusion. Query operators and wrong types where strings belong, prototype keys in bodies,
 * query strings, custom fields and YAML, invalid UTF-8, lone surrogates, NUL bytes and 10⁵-deep nesting — over
 * REST and both WebSocket channels. Each is a 400 (or a WS error frame / close 1007), stores nothing, pollutes
 * no prototype of the daemon's process (the daemon runs in this process) and crashes nothing.
 * Fixture: security/injection.yaml (messageMaxLength 250000, so a 10⁵-deep document fits the body limit).
 *
 * Covered elsewhere, not repeated: a few operator objects and prototype bodies on the visitor API and one
 * `?__proto__` query (test/integration/http-input.test.ts), prototype keys in an agent frame
 * (test/integration/realtime-limits.test.ts), raw control characters in JSON strings (http-input.test.ts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { FIXTURES } from '../helpers/daemon.js';
import { loginAs, request, VisitorClient, type AgentClient } from '../helpers/chat.js';
import { expectPrototypesClean, newVisitorToken, rawJson, rawSocket, securityDaemon, type SecurityDaemon } from './helpers.js';

let d: SecurityDaemon;
let visitor: VisitorClient;
let rid: string;
let messageId: string;
let alice: AgentClient;

beforeAll(async () => {
  d = await securityDaemon('injection');
  alice = await loginAs(d.url, 'alice');
  visitor = new VisitorClient(d.url);
  const opened = await visitor.start({ name: 'Vera' });
  expect(opened.status).toBe(200);
  rid = opened.body.room._id;
  const first = await visitor.send(rid, 'first');
  expect(first.status).toBe(200);
  messageId = first.body.message._id;
});

afterAll(async () => {
  await d?.cleanup();
});

function expectInvalid(reply: { status: number; body: unknown }, mentions: RegExp = /./): void {
  expect(reply.status, JSON.stringify(reply.body).slice(0, 300)).toBe(400);
  expect(reply.body).toMatchObject({ success: false, errorType: 'invalid-params', error: expect.stringMatching(/^Match error: .+ \[invalid-params\]$/) });
  expect((reply.body as { error: string }).error).toMatch(mentions);
}

/** Nothing refused may have been stored: the conversation, the visitor and the room are as they were (presence aside: sockets come and go). */
async function expectUnchanged(): Promise<void> {
  expect((await visitor.history(rid)).body.messages.map((m) => m.msg)).toEqual(['first']);
  const me = (await visitor.getVisitor()).body.visitor;
  expect(me).toMatchObject({ name: 'Vera', livechatData: {} });
  expect((await visitor.room()).body).toMatchObject({ newRoom: false, room: { _id: rid, open: true, livechatData: {} } });
  expectPrototypesClean();
}

/** Every visitor endpoint with a JSON body, a valid body for it, and the string fields in it (dotted paths). */
const ENDPOINTS: [method: string, path: () => string, body: () => Record<string, unknown>, strings: string[]][] = [
  ['POST', () => 'visitor', () => ({ visitor: { token: newVisitorToken(), name: 'N', email: 'n@example.com', department: '', phone: '1' } }), ['visitor.token', 'visitor.name', 'visitor.email', 'visitor.phone']],
  ['POST', () => 'visitor.status', () => ({ token: visitor.token, status: 'away' }), ['token', 'status']],
  ['POST', () => 'room.close', () => ({ token: visitor.token, rid }), ['token', 'rid']],
  ['POST', () => 'room.transfer', () => ({ token: visitor.token, rid, department: 'x' }), ['token', 'rid', 'department']],
  ['POST', () => 'room.survey', () => ({ token: visitor.token, rid, data: [{ name: 'satisfaction', value: '5' }] }), ['token', 'rid', 'data.0.name', 'data.0.value']],
  ['POST', () => 'message', () => ({ token: visitor.token, rid, msg: 'hi' }), ['token', 'rid', 'msg']],
  ['PUT', () => `message/${messageId}`, () => ({ token: visitor.token, rid, msg: 'edited' }), ['token', 'rid', 'msg']],
  ['DELETE', () => `message/${messageId}`, () => ({ token: visitor.token, rid }), ['token', 'rid']],
  ['POST', () => 'offline.message', () => ({ name: 'N', email: 'n@example.com', message: 'm' }), ['name', 'email', 'message']],
  ['POST', () => 'page.visited', () => ({ token: visitor.token, rid, pageInfo: { change: 'url', title: 't', location: { href: 'https://x.example/' } } }), ['token', 'rid', 'pageInfo.change', 'pageInfo.title', 'pageInfo.location.href']],
  ['POST', () => 'custom.field', () => ({ token: visitor.token, key: 'company', value: 'ACME', overwrite: true }), ['token', 'key', 'value']],
  ['POST', () => 'custom.fields', () => ({ token: visitor.token, customFields: [{ key: 'company', value: 'ACME', overwrite: true }] }), ['token', 'customFields.0.key', 'customFields.0.value']],
  ['POST', () => 'transcript', () => ({ token: visitor.token, rid, email: 'n@example.com' }), ['token', 'rid', 'email']],
];

const CONFUSIONS: [string, unknown][] = [
  ['$ne operator', { $ne: '' }],
  ['$gt operator', { $gt: '' }],
  ['$regex operator', { $regex: '.*' }],
  ['$where operator', { $where: 'return true' }],
  ['array', ['x']],
  ['number', 42],
  ['boolean', true],
  ['empty object', {}],
];

function setPath(body: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const parts = path.split('.');
  let node = body as Record<string, unknown>;
  for (const part of parts.slice(0, -1)) node = node[part] as Record<string, unknown>;
  node[parts.at(-1)!] = value;
  return body;
}

describe('query operators and wrong types where strings belong', () => {
  const cases = ENDPOINTS.flatMap(([method, path, body, strings]) => strings.map((field) => [method, path, body, field] as const));

  it.each(cases)('%s %s: %s is refused whatever it holds instead of a string', async (method, path, body, field) => {
    for (const [what, value] of CONFUSIONS) {
      const reply = await request(d.url, method, `/api/v1/livechat/${path()}`, { body: setPath(body(), field, value) });
      expect(reply.status, `${field} as ${what}`).toBe(400);
      expect(reply.body, `${field} as ${what}`).toMatchObject({ success: false, errorType: 'invalid-params' });
    }
  });

  it('operators in query strings (qs-style brackets) are not operators: the key is simply missing', async () => {
    const token = visitor.token;
    for (const path of ['room', `messages.history/${rid}`, `message/${messageId}`]) {
      for (const query of ['token[$ne]=x', 'token[$gt]=', `token[]=${token}`, `token[0]=${token}`, `token=${token}&token=${token}`]) {
        const reply = await request(d.url, 'GET', `/api/v1/livechat/${path}?${query}&rid=${rid}`);
        expect(reply.status, `${path}?${query}`).toBe(400);
        expect(reply.body, `${path}?${query}`).toMatchObject({ success: false });
      }
    }
    // A token that is a JSON-encoded operator is just a malformed token.
    expectInvalid(await request(d.url, 'GET', '/api/v1/livechat/room', { query: { token: '{"$ne":""}' } }), /token must be 16 to 128 characters/);
    expectInvalid(await request(d.url, 'GET', `/api/v1/livechat/visitor/${encodeURIComponent('{"$ne":""}')}`), /token must be 16 to 128/);
  });

  it('the agent API refuses them too', async () => {
    const wrong = [{ username: { $ne: '' }, password: { $ne: '' } }, { username: 'alice', password: { $gt: '' } }, { username: ['alice'], password: 'pw' }];
    for (const body of wrong) expectInvalid(await request(d.url, 'POST', '/api/v1/agent/login', { body }));
    expect((await request(d.url, 'POST', `/api/v1/agent/rooms/${rid}/messages`, { body: { msg: { $ne: '' } }, headers: { authorization: `Bearer ${alice.token}` } })).status).toBe(400);
    expect((await request(d.url, 'POST', '/api/v1/agent/status', { body: { status: { $ne: 'x' } }, headers: { authorization: `Bearer ${alice.token}` } })).status).toBe(400);
  });

  it('stored nothing', expectUnchanged);
});

describe('__proto__ and constructor.prototype', () => {
  const PROTO = [
    (inner: string) => `{"__proto__":{"polluted":true},${inner}}`,
    (inner: string) => `{"constructor":{"prototype":{"polluted":true}},${inner}}`,
    // Escaped spellings of the same key.
    (inner: string) => `{"\\u005f_proto__":{"polluted":true},${inner}}`,
    (inner: string) => `{"__pro\\u0074o__":{"polluted":true},${inner}}`,
  ];

  it('anywhere in a body, at any depth, escaped or not: refused on every endpoint', async () => {
    for (const [method, path, body] of ENDPOINTS) {
      const inner = JSON.stringify(body()).slice(1, -1);
      for (const wrap of PROTO) {
        const reply = await rawJson(d.url, method, `/api/v1/livechat/${path()}`, wrap(inner)).catch((err: Error) => ({ status: -1, body: { err: `${method} ${path()} ${err.message}` } }));
        expectInvalid(reply, /__proto__/);
      }
    }
    // Nested where the schema tolerates extra keys: the registration's visitor, connectionData, a page's location.
    const nested = [
      ['POST', 'visitor', `{"visitor":{"token":"${newVisitorToken()}","__proto__":{"polluted":true}}}`],
      ['POST', 'visitor', `{"visitor":{"token":"${newVisitorToken()}","connectionData":{"a":{"constructor":{"prototype":{"polluted":true}}}}}}`],
      ['POST', 'page.visited', `{"token":"${visitor.token}","pageInfo":{"change":"url","title":"t","location":{"href":"https://x.example/","__proto__":{"polluted":true}}}}`],
      ['POST', 'custom.fields', `{"token":"${visitor.token}","customFields":[{"key":"company","value":"v","overwrite":true,"__proto__":{"polluted":true}}]}`],
    ] as const;
    for (const [method, path, body] of nested) expectInvalid(await rawJson(d.url, method, `/api/v1/livechat/${path}`, body), /__proto__/);
    expectPrototypesClean();
  });

  it('in query strings of every GET endpoint: plain keys, never merged', async () => {
    const polluting = '__proto__[polluted]=1&__proto__.polluted=1&constructor[prototype][polluted]=1&constructor.prototype.polluted=1&__proto__=x';
    for (const path of ['config', 'room', `messages.history/${rid}`, `message/${messageId}`, `visitor/${visitor.token}`, `agent.next/${visitor.token}`, `agent.info/${rid}/${visitor.token}`]) {
      const reply = await request(d.url, 'GET', `/api/v1/livechat/${path}?token=${visitor.token}&rid=${rid}&${polluting}`);
      expect(reply.status, path).toBeLessThan(500);
      expect(JSON.stringify(reply.body), path).not.toContain('polluted');
    }
    const agentReply = await request(d.url, 'GET', `/api/v1/agent/rooms/${rid}/messages?${polluting}`, { headers: { authorization: `Bearer ${alice.token}` } });
    expect(agentReply.status).toBeLessThan(500);
    expectPrototypesClean();
  });

  it('as custom-field keys: not a declared field, so invalid-custom-field; registration ignores them', async () => {
    for (const key of ['__proto__', 'prototype', '__defineGetter__', 'isPrototypeOf']) {
      const one = await request(d.url, 'POST', '/api/v1/livechat/custom.field', { body: { token: visitor.token, key, value: 'x', overwrite: true } });
      expect(one, key).toMatchObject({ status: 400, body: { errorType: 'invalid-custom-field' } });
      const many = await request(d.url, 'POST', '/api/v1/livechat/custom.fields', { body: { token: visitor.token, customFields: [{ key, value: 'x', overwrite: true }] } });
      expect(many, key).toMatchObject({ status: 400, body: { errorType: 'invalid-custom-field' } });
    }
    const token = newVisitorToken();
    const registered = await request(d.url, 'POST', '/api/v1/livechat/visitor', { body: { visitor: { token, customFields: [{ key: 'prototype', value: 'x', overwrite: true }] } } });
    expect(registered.status).toBe(200);
    expect((registered.body as { visitor: { livechatData: object } }).visitor.livechatData).toEqual({});
    await expectUnchanged();
  });

  it('declared fields named like Object.prototype members (constructor, toString, hasOwnProperty, valueOf) are ordinary fields', async () => {
    const v = new VisitorClient(d.url);
    const opened = await v.start({ name: 'Odd' });
    expect(opened.status).toBe(200);
    const set = async (key: string, value: string, overwrite = false) =>
      request(d.url, 'POST', '/api/v1/livechat/custom.field', { body: { token: v.token, key, value, overwrite } });
    // overwrite:false sets a value that is not set yet — an inherited member is not a value.
    for (const key of ['constructor', 'toString', 'hasOwnProperty']) expect(await set(key, `v-${key}`), key).toMatchObject({ status: 200 });
    expect(await set('valueOf', 'abc')).toMatchObject({ status: 200 });
    expect(await set('valueOf', 'ABC', true)).toMatchObject({ status: 400, body: { errorType: 'error-invalid-custom-field-value' } });
    const me = (await v.getVisitor()).body.visitor;
    expect(me.livechatData).toEqual({ constructor: 'v-constructor', hasOwnProperty: 'v-hasOwnProperty', valueOf: 'abc' });
    expect((await v.room()).body.room.livechatData).toEqual({ toString: 'v-toString' });
    // The agent's view of the visitor reads them back as values, and nothing downstream broke.
    const view = await request<{ visitor: { customFields: { id: string; value?: string }[] } }>(d.url, 'GET', `/api/v1/agent/rooms/${opened.body.room._id}/visitor`, { headers: { authorization: `Bearer ${alice.token}` } });
    expect(view.status).toBe(200);
    expect(JSON.stringify(view.body)).toContain('v-constructor');
    expect(JSON.stringify(view.body)).not.toMatch(/function|\[native code\]/);
    expect((await v.close(opened.body.room._id)).status).toBe(200);
    expectPrototypesClean();
  });

  it('in YAML: every such key is an error with its file:line, and nothing is polluted', async () => {
    const result = await loadConfig(`${FIXTURES}security/proto.yaml`, { env: { DATA_DIR: '/nonexistent' } });
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors.map((e) => `${e.line}:${e.col} ${e.path}: ${e.message}`);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^3:1 __proto__: the key "__proto__" is not allowed/),
        expect.stringMatching(/^8:3 server\.__proto__: /),
        expect.stringMatching(/^10:3 livechat\.constructor: /),
        expect.stringMatching(/^16:5 agents\[0\]\.__proto__: /),
        expect.stringMatching(/defaults\.__proto__: /),
      ]),
    );
    expectPrototypesClean();
  });
});

describe('text that is not text: invalid UTF-8, lone surrogates, NUL', () => {
  const bytes = (...parts: (string | number[])[]) => Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
  const INVALID_UTF8: [string, number[]][] = [
    ['a stray continuation byte', [0x80]],
    ['a truncated sequence', [0xc3]],
    ['0xFF', [0xff]],
    ['an overlong "/"', [0xc0, 0xaf]],
    ['a UTF-8-encoded surrogate', [0xed, 0xa0, 0x80]],
    ['a code point above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
  ];

  it.each(INVALID_UTF8)('invalid UTF-8 in a body (%s) is a 400 saying so, not a silent U+FFFD', async (_what, bad) => {
    const body = bytes(`{"token":"${visitor.token}","rid":"${rid}","msg":"a`, bad, `b"}`);
    expectInvalid(await rawJson(d.url, 'POST', '/api/v1/livechat/message', body), /not valid UTF-8/);
    const register = bytes(`{"visitor":{"token":"${newVisitorToken()}","name":"`, bad, `"}}`);
    expectInvalid(await rawJson(d.url, 'POST', '/api/v1/livechat/visitor', register), /not valid UTF-8/);
  });

  const NOT_TEXT: [string, string, RegExp][] = [
    ['a lone high surrogate', '\\ud800', /must not contain unpaired UTF-16 surrogates/],
    ['a lone low surrogate', '\\udc00', /must not contain unpaired UTF-16 surrogates/],
    ['reversed surrogates', '\\udc00\\ud800', /must not contain unpaired UTF-16 surrogates/],
    ['a NUL', '\\u0000', /must not contain NUL characters/],
  ];

  it.each(NOT_TEXT)('%s, JSON-escaped, in a message, a name, a custom-field value or a key: 400 naming the field', async (_what, escaped, mentions) => {
    const s = (text: string) => `a${escaped}${text}`;
    expectInvalid(await rawJson(d.url, 'POST', '/api/v1/livechat/message', `{"token":"${visitor.token}","rid":"${rid}","msg":"${s('b')}"}`), new RegExp(`msg ${mentions.source}`));
    expectInvalid(await rawJson(d.url, 'POST', '/api/v1/livechat/visitor', `{"visitor":{"token":"${newVisitorToken()}","name":"${s('')}"}}`), new RegExp(`visitor\\.name ${mentions.source}`));
    expectInvalid(await rawJson(d.url, 'POST', '/api/v1/livechat/custom.field', `{"token":"${visitor.token}","key":"company","value":"${s('')}","overwrite":true}`), mentions);
    expectInvalid(await rawJson(d.url, 'POST', '/api/v1/livechat/custom.fields', `{"token":"${visitor.token}","customFields":[{"key":"company","value":"${s('')}","overwrite":true}]}`), /customFields\[0\]\.value/);
    expectInvalid(await rawJson(d.url, 'POST', '/api/v1/livechat/visitor', `{"visitor":{"token":"${newVisitorToken()}","connectionData":{"${s('')}":1}}}`), /has a key that/);
    expectInvalid(await rawJson(d.url, 'POST', '/api/v1/livechat/offline.message', `{"name":"N","email":"n@example.com","message":"${s('')}"}`), mentions);
    expectInvalid(await rawJson(d.url, 'POST', `/api/v1/agent/rooms/${rid}/messages`, `{"msg":"${s('')}"}`, { authorization: `Bearer ${alice.token}` }), new RegExp(`msg ${mentions.source}`));
  });

  it('a NUL in a query string value is refused too', async () => {
    expectInvalid(await request(d.url, 'GET', `/api/v1/livechat/messages.history/${rid}?token=${visitor.token}&searchText=a%00b`), /searchText must not contain NUL/);
    expectInvalid(await request(d.url, 'GET', `/api/v1/livechat/config?token=${visitor.token}&businessUnit=%00`), /NUL/);
    expectInvalid(await request(d.url, 'GET', `/api/v1/livechat/room?token=${visitor.token}%00`), /./);
  });

  it('stored nothing', expectUnchanged);
});

describe('10⁵-deep nesting', () => {
  const DEEP = 100_000;
  const deepArray = '['.repeat(DEEP) + ']'.repeat(DEEP);
  const deepObject = '{"a":'.repeat(DEEP) + '1' + '}'.repeat(DEEP);

  it('in a body: 400 saying so, on every endpoint, as a whole body and inside a tolerated field', async () => {
    for (const [method, path] of ENDPOINTS) {
      for (const body of [deepArray, deepObject]) expectInvalid(await rawJson(d.url, method, `/api/v1/livechat/${path()}`, body), /nested more than 32 levels/);
    }
    const inField = `{"visitor":{"token":"${newVisitorToken()}","connectionData":${deepObject}}}`;
    expectInvalid(await rawJson(d.url, 'POST', '/api/v1/livechat/visitor', inField), /nested more than 32 levels/);
    expectInvalid(await rawJson(d.url, 'POST', '/api/v1/agent/login', deepObject), /nested/);
    expectInvalid(await rawJson(d.url, 'POST', '/api/v1/livechat/message', `{"token":"${visitor.token}","rid":"${rid}","msg":${deepArray}}`), /nested/);
    expect((await fetch(`${d.url}/healthz`)).status).toBe(200);
  });

  it('stored nothing', expectUnchanged);
});

describe('over WebSockets', () => {
  async function authed(path: '/ws/visitor' | '/ws/agent') {
    const s = rawSocket(d.url, path);
    await s.opened;
    s.ws.send(JSON.stringify({ type: 'auth', token: path === '/ws/agent' ? alice.token : visitor.token }));
    await s.frame(1);
    return s;
  }

  it('invalid UTF-8 in a text frame closes with 1007, before and after auth', async () => {
    for (const path of ['/ws/visitor', '/ws/agent'] as const) {
      const before = rawSocket(d.url, path);
      await before.opened;
      before.ws.send(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]), { binary: false });
      expect((await before.closed).code, path).toBe(1007);
      const after = await authed(path);
      after.ws.send(bytesOf(`{"type":"typing","rid":"${rid}","typing":true,"x":"`, [0xed, 0xa0, 0x80], '"}'), { binary: false });
      expect((await after.closed).code, path).toBe(1007);
    }
  });

  it('operators, wrong types, prototype keys, lone surrogates, NUL and deep nesting: an error frame each, nothing done', async () => {
    const agentFrames = [
      { type: 'send', rid, msg: { $ne: '' }, clientMsgId: 'a1' },
      { type: 'send', rid: { $ne: '' }, msg: 'x', clientMsgId: 'a2' },
      { type: 'close', rid: ['x'] },
      `{"type":"send","rid":"${rid}","msg":"a\\ud800","clientMsgId":"a3"}`,
      `{"type":"send","rid":"${rid}","msg":"a\\u0000b","clientMsgId":"a4"}`,
      `{"type":"send","rid":"${rid}","msg":"x","clientMsgId":"a5","constructor":{"prototype":{"polluted":true}}}`,
      `{"type":"send","rid":"${rid}","msg":"x","clientMsgId":"a6","extra":${'['.repeat(DEEP_WS)}${']'.repeat(DEEP_WS)}}`,
    ];
    const s = await authed('/ws/agent');
    for (const [i, frame] of agentFrames.entries()) {
      s.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
      expect(await s.nth('error', i + 1), JSON.stringify(frame).slice(0, 80)).toMatchObject({ type: 'error', code: 'invalid-frame' });
    }
    s.ws.close();

    const visitorFrames = [
      { type: 'auth', token: { $ne: '' } },
      `{"type":"auth","token":"${visitor.token}\\u0000"}`,
      `{"type":"auth","token":"\\udfff${visitor.token}"}`,
      `{"type":"auth","token":"x","a":${'{"a":'.repeat(DEEP_WS)}1${'}'.repeat(DEEP_WS)}}`,
    ];
    for (const frame of visitorFrames) {
      const v = rawSocket(d.url, '/ws/visitor');
      await v.opened;
      v.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
      expect(await v.frame(1), JSON.stringify(frame).slice(0, 80)).toMatchObject({ type: 'error', code: 'invalid-frame' });
      v.ws.close();
    }
    const t = await authed('/ws/visitor');
    t.ws.send(`{"type":"typing","rid":"${rid}","typing":true,"__proto__":{"polluted":true}}`);
    expect(await t.nth('error', 1)).toMatchObject({ type: 'error', code: 'invalid-frame' });
    t.ws.send(JSON.stringify({ type: 'resume', rid, afterSeq: { $gt: 0 } }));
    expect(await t.nth('error', 2)).toMatchObject({ type: 'error', code: 'invalid-frame' });
    t.ws.close();
    await expectUnchanged();
  });
});

/** Deep enough to be refused, small enough for the frame limit (maxPayload here: 6 × 250000 + 4096 bytes). */
const DEEP_WS = 100_000;

function bytesOf(...parts: (string | number[])[]): Buffer {
  return Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
}

