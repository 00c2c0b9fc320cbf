/**
 * Bad input on the visitor API: every endpoint answers a clear 4xx JSON error and stores nothing. Wrong types
 * (including query-operator objects), missing fields, malformed JSON, oversized and prototype-polluting bodies,
 * tokens of the wrong shape, non-JSON content types; and the transport conventions of spec §1.0: `//api/v1`,
 * the SDK's literal "undefined", JSON on every answer, the upload refusal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { newVisitorToken, request, VisitorClient, type Reply } from '../helpers/chat.js';
import { tempDir } from '../helpers/tmp.js';

let d: TestDaemon;
let dir: Awaited<ReturnType<typeof tempDir>>;
/** A registered visitor with an open room, for the endpoints that need one. */
let visitor: VisitorClient;
let rid: string;

beforeAll(async () => {
  dir = await tempDir('livechatd-http-');
  d = await startDaemon('http/open.yaml', { DATA_DIR: dir.path });
  // A logged-in agent, so rooms can open.
  expect((await request(d.url, 'POST', '/api/v1/agent/login', { body: { username: 'alice', password: 'correct horse' } })).status).toBe(200);
  visitor = new VisitorClient(d.url);
  const opened = await visitor.start({ name: 'Vera' });
  expect(opened.status).toBe(200);
  rid = opened.body.room._id;
  expect((await visitor.send(rid, 'first')).status).toBe(200);
});

afterAll(async () => {
  await d?.stop();
  await dir?.remove();
});

/** One request with a raw body; the answer must be JSON whatever happened. */
async function raw(method: string, path: string, init: { body?: BodyInit; headers?: Record<string, string> } = {}) {
  const res = await fetch(d.url + path, { method, ...init, ...(init.body instanceof ReadableStream && { duplex: 'half' }) } as RequestInit);
  expect(res.headers.get('content-type'), `${method} ${path}`).toMatch(/^application\/json/);
  return { status: res.status, headers: res.headers, body: (await res.json()) as Record<string, unknown> };
}

function json(body: unknown) {
  return { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } };
}

/**
 * A parameter error (spec §1.0 shape G): 400, invalid-params, "Match error: ..." naming the field. Offline
 * message and transcript errors also carry the reason as `message` (shape E).
 */
function expectInvalid(reply: Reply<unknown>, mentions: RegExp): void {
  expect(reply.status).toBe(400);
  const { message, ...body } = reply.body as { error: string; message?: string };
  expect(body).toEqual({ success: false, error: expect.stringMatching(/^Match error: .+ \[invalid-params\]$/), errorType: 'invalid-params' });
  expect(body.error).toMatch(mentions);
  if (message !== undefined) expect(`${message} [invalid-params]`).toBe(body.error);
}

/** What the visitor's room holds now, oldest first: nothing refused may have been stored. */
async function conversation(): Promise<string[]> {
  const history = await visitor.history(rid);
  return history.body.messages.map((m) => m.msg).reverse();
}

describe('wrong bodies on every visitor endpoint', () => {
  const T = () => visitor.token;
  const cases: [string, string, () => unknown, RegExp][] = [
    ['POST', 'visitor', () => ({}), /visitor is required/],
    ['POST', 'visitor', () => ({ visitor: {} }), /visitor\.token is required/],
    ['POST', 'visitor', () => ({ visitor: { token: { $ne: '' } } }), /visitor\.token must be a string/],
    ['POST', 'visitor', () => ({ visitor: { token: newVisitorToken(), name: 42 } }), /visitor\.name must be a string or null/],
    ['POST', 'visitor', () => ({ visitor: { token: newVisitorToken(), customFields: [{ key: 'company' }] } }), /visitor\.customFields\[0\]\.value is required/],
    ['POST', 'visitor', () => ({ visitor: { token: newVisitorToken() }, admin: true }), /unknown field "admin"/],
    ['POST', 'visitor.status', () => ({ token: T(), status: 'dancing' }), /status must be one of: online, away, busy, offline/],
    ['POST', 'visitor.status', () => ({ token: { $gt: '' }, status: 'away' }), /token must be a string/],
    ['POST', 'room.close', () => ({ token: T() }), /rid is required/],
    ['POST', 'room.close', () => ({ token: T(), rid: { $ne: null } }), /rid must be a string/],
    ['POST', 'room.transfer', () => ({ token: T(), rid }), /department is required/],
    ['POST', 'room.survey', () => ({ token: T(), rid, data: {} }), /data must be an array/],
    ['POST', 'message', () => ({ token: T(), rid }), /msg is required/],
    ['POST', 'message', () => ({ token: T(), rid, msg: ['hi'] }), /msg must be a string/],
    ['POST', 'message', () => ({ token: T(), rid, msg: '' }), /msg must not be empty/],
    ['POST', 'message', () => ({ token: T(), rid: '../x', msg: 'hi' }), /rid must be 1 to 64 characters/],
    ['PUT', 'message/abc', () => ({ token: T(), rid }), /msg is required/],
    ['DELETE', 'message/abc', () => ({ token: T() }), /rid is required/],
    ['POST', 'offline.message', () => ({ name: 'N', message: 'hello' }), /email is required/],
    ['POST', 'page.visited', () => ({ token: T(), pageInfo: { change: 'url', title: 't' } }), /pageInfo\.location is required/],
    ['POST', 'custom.field', () => ({ token: T(), key: 'company', value: 'ACME', overwrite: 'yes' }), /overwrite must be true or false/],
    ['POST', 'custom.fields', () => ({ token: T(), customFields: { key: 'company' } }), /customFields must be an array/],
    ['POST', 'transcript', () => ({ token: T(), rid }), /email is required/],
  ];

  it.each(cases)('%s %s refuses %#', async (method, path, body, mentions) => {
    expectInvalid(await request(d.url, method, `/api/v1/livechat/${path}`, { body: body() }), mentions);
  });

  it('a message longer than livechat.messageMaxLength is the services\' error, not a schema one', async () => {
    const res = await visitor.send(rid, 'x'.repeat(201));
    expect(res.body).toMatchObject({ success: false, errorType: 'message-length-exceeds-character-limit' });
  });

  it('stored nothing: no visitor, no message, no custom field, status unchanged, room still open', async () => {
    expect(await conversation()).toEqual(['first']);
    const me = await visitor.getVisitor();
    expect(me.body.visitor).toMatchObject({ status: 'online', livechatData: {} });
    expect((await visitor.room()).body).toMatchObject({ newRoom: false, room: { _id: rid, open: true } });
  });

  it('a refused registration creates no visitor', async () => {
    const token = newVisitorToken();
    expectInvalid(await request(d.url, 'POST', '/api/v1/livechat/visitor', { body: { visitor: { token, email: ['a@b.c'] } } }), /visitor\.email/);
    expect((await new VisitorClient(d.url, token).getVisitor()).body).toEqual({ success: false, error: '[invalid-token]', errorType: 'invalid-token' });
  });

  it('offline.message and transcript failures also carry `message`, which the widget shows', async () => {
    const offline = await request(d.url, 'POST', '/api/v1/livechat/offline.message', { body: { name: 'N', message: 'hi' } });
    expect(offline.body).toMatchObject({ success: false, errorType: 'invalid-params', message: expect.stringMatching(/email is required/) });
    const transcript = await request(d.url, 'POST', '/api/v1/livechat/transcript', { body: { token: visitor.token, rid, email: 'v@example.com' } });
    expect(transcript).toMatchObject({
      status: 400,
      body: { success: false, errorType: 'error-transcript-not-configured', error: expect.stringMatching(/\[error-transcript-not-configured\]$/), message: expect.any(String) },
    });
  });
});

describe('tokens of the wrong shape', () => {
  const bad = ['short', 'a'.repeat(129), `${'a'.repeat(20)}!`, `${'a'.repeat(20)}%20x`, `${'a'.repeat(20)}.json`];

  it.each(bad)('in the path, the query and the body: %s', async (token) => {
    const path = encodeURI(token);
    for (const reply of [
      await request(d.url, 'GET', `/api/v1/livechat/visitor/${path}`),
      await request(d.url, 'DELETE', `/api/v1/livechat/visitor/${path}`, { body: {} }),
      await request(d.url, 'GET', `/api/v1/livechat/agent.next/${path}`),
      await request(d.url, 'GET', `/api/v1/livechat/agent.info/${rid}/${path}`),
      await request(d.url, 'GET', '/api/v1/livechat/room', { query: { token } }),
      await request(d.url, 'GET', '/api/v1/livechat/config', { query: { token } }),
      await request(d.url, 'GET', `/api/v1/livechat/messages.history/${rid}`, { query: { token } }),
      await request(d.url, 'POST', '/api/v1/livechat/visitor', { body: { visitor: { token } } }),
      await request(d.url, 'POST', '/api/v1/livechat/message', { body: { token, rid, msg: 'x' } }),
    ]) {
      expectInvalid(reply, /token must be 16 to 128 characters of A-Z, a-z, 0-9, _ and -/);
    }
  });

  it('the refused value is never echoed back (it may be a real token)', async () => {
    const secret = `SECRET${'z'.repeat(20)}!`;
    const res = await request(d.url, 'POST', '/api/v1/livechat/message', { body: { token: secret, rid, msg: 'x' } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).not.toContain('SECRET');
  });

  it('a repeated query key is refused rather than guessed', async () => {
    const res = await raw('GET', `/api/v1/livechat/room?token=${visitor.token}&token=${newVisitorToken()}`);
    expectInvalid(res, /token must be a string/);
  });
});

describe('malformed and hostile bodies', () => {
  it('malformed JSON: 400 saying so, without quoting the body', async () => {
    const res = await raw('POST', '/api/v1/livechat/message', { body: `{"token":"${visitor.token}","rid":"${rid}","msg":"x"`, headers: { 'content-type': 'application/json' } });
    expectInvalid(res, /the request body is not valid JSON/);
    expect(JSON.stringify(res.body)).not.toContain(visitor.token);
    const garbage = await raw('POST', '/api/v1/livechat/visitor', { body: 'SECRETTOKENnot json at all', headers: { 'content-type': 'application/json' } });
    expectInvalid(garbage, /not valid JSON/);
    expect(JSON.stringify(garbage.body)).not.toContain('SECRET');
  });

  it('raw control characters inside strings are malformed JSON; escaped ones reach the schema', async () => {
    const rawControl = `{"token":"${visitor.token}","rid":"${rid}","msg":"a\u0001b"}`;
    expectInvalid(await raw('POST', '/api/v1/livechat/message', { body: rawControl, headers: { 'content-type': 'application/json' } }), /not valid JSON/);
    const escapedInToken = await request(d.url, 'POST', '/api/v1/livechat/message', { body: { token: `${visitor.token}\u0000`, rid, msg: 'x' } });
    expectInvalid(escapedInToken, /token must be 16 to 128/);
  });

  it('a body over 64 KiB: 413 payload-too-large, with or without Content-Length', async () => {
    const big = JSON.stringify({ token: visitor.token, rid, msg: 'x'.repeat(70 * 1024) });
    const sized = await raw('POST', '/api/v1/livechat/message', { body: big, headers: { 'content-type': 'application/json' } });
    expect(sized).toMatchObject({ status: 413, body: { success: false, errorType: 'payload-too-large', error: expect.stringMatching(/larger than 65536 bytes \[payload-too-large\]$/) } });
    const chunks = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 80; i++) controller.enqueue(new TextEncoder().encode('x'.repeat(1024)));
        controller.close();
      },
    });
    const chunked = await raw('POST', '/api/v1/livechat/message', { body: chunks, headers: { 'content-type': 'application/json' } });
    expect(chunked).toMatchObject({ status: 413, body: { errorType: 'payload-too-large' } });
    expect(await conversation()).toEqual(['first']);
  });

  it('__proto__ and constructor.prototype keys are refused and pollute nothing', async () => {
    const bodies = [
      `{"visitor":{"token":"${newVisitorToken()}","__proto__":{"polluted":true}}}`,
      `{"__proto__":{"polluted":true},"token":"${visitor.token}","rid":"${rid}","msg":"x"}`,
      `{"token":"${visitor.token}","rid":"${rid}","msg":"x","constructor":{"prototype":{"polluted":true}}}`,
    ];
    for (const [i, body] of bodies.entries()) {
      const path = i === 0 ? '/api/v1/livechat/visitor' : '/api/v1/livechat/message';
      expectInvalid(await raw('POST', path, { body, headers: { 'content-type': 'application/json' } }), /must not contain "__proto__" or "constructor.prototype" keys/);
    }
    const query = await raw('GET', `/api/v1/livechat/room?token=${visitor.token}&__proto__[polluted]=1&__proto__=x`);
    expect(query.status).toBe(200);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(await conversation()).toEqual(['first']);
  });

  it('a body that is not JSON by Content-Type is refused (JSON error body)', async () => {
    const form = await raw('POST', '/api/v1/livechat/message', { body: `token=${visitor.token}&rid=${rid}&msg=x`, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expectInvalid(form, /must be JSON \(Content-Type: application\/json\)/);
    const text = await raw('POST', '/api/v1/livechat/message', { body: JSON.stringify({ token: visitor.token, rid, msg: 'x' }), headers: { 'content-type': 'text/plain' } });
    expectInvalid(text, /must be JSON/);
    expect(await conversation()).toEqual(['first']);
  });

  it('charset=UTF-8 (any case) is JSON; another charset is refused', async () => {
    const body = JSON.stringify({ token: visitor.token, status: 'online' });
    for (const type of ['application/json; charset=UTF-8', 'application/json;charset=utf-8', 'application/vnd.api+json']) {
      expect((await raw('POST', '/api/v1/livechat/visitor.status', { body, headers: { 'content-type': type } })).status, type).toBe(200);
    }
    expectInvalid(await raw('POST', '/api/v1/livechat/visitor.status', { body, headers: { 'content-type': 'application/json; charset=latin1' } }), /must be UTF-8 JSON/);
  });

  it('JSON that is not an object is refused by the schema', async () => {
    for (const body of ['[]', '"text"', 'null', '42']) {
      expectInvalid(await raw('POST', '/api/v1/livechat/room.close', { body, headers: { 'content-type': 'application/json' } }), /body must be an object/);
    }
  });

  it('an empty body reads as {} and names what is missing', async () => {
    expectInvalid(await raw('POST', '/api/v1/livechat/room.close', { headers: { 'content-type': 'application/json' } }), /token is required/);
  });
});

describe('transport conventions (spec §1.0)', () => {
  it('//api/v1 (a server URL with a trailing slash) is the same API', async () => {
    const res = await raw('GET', `//api/v1/livechat/config?token=${visitor.token}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ success: true, config: { guest: { token: visitor.token } } });
    expect((await raw('GET', `/api/v1//livechat//visitor/${visitor.token}`)).status).toBe(200);
  });

  it('the literal "undefined" from the SDK means absent', async () => {
    const room = await raw('GET', `/api/v1/livechat/room?token=${visitor.token}&rid=undefined&agentId=undefined`);
    expect(room).toMatchObject({ status: 200, body: { success: true, newRoom: false, room: { _id: rid } } });
    const config = await raw('GET', '/api/v1/livechat/config?token=undefined');
    expect(config.status).toBe(200);
    expect(config.body.config).not.toHaveProperty('guest');
    const next = await raw('GET', `/api/v1/livechat/agent.next/${visitor.token}?department=`);
    expect(next).toMatchObject({ status: 200, body: { success: true } });
  });

  it('messages.history without token is error-token-param-not-provided; limits are checked and capped', async () => {
    const missing = await raw('GET', `/api/v1/livechat/messages.history/${rid}?token=undefined`);
    expect(missing).toMatchObject({ status: 400, body: { errorType: 'error-token-param-not-provided' } });
    expectInvalid(await raw('GET', `/api/v1/livechat/messages.history/${rid}?token=${visitor.token}&limit=ten`), /limit must be a whole number/);
    expectInvalid(await raw('GET', `/api/v1/livechat/messages.history/${rid}?token=${visitor.token}&ls=yesterday`), /ls must match format "date-time"/);
    expect((await raw('GET', `/api/v1/livechat/messages.history/${rid}?token=${visitor.token}&limit=5000`)).status).toBe(200);
  });

  it('unknown paths and wrong methods answer JSON 404s', async () => {
    expect(await raw('GET', '/api/v1/livechat/nope')).toMatchObject({ status: 404, body: { success: false, errorType: 'not-found' } });
    expect(await raw('PATCH', '/api/v1/livechat/config')).toMatchObject({ status: 404, body: { success: false, errorType: 'not-found' } });
    expect(await raw('GET', '/api/v1/livechat/room.close')).toMatchObject({ status: 404 });
  });

  it('upload: refused in the shape the widget reads, without waiting for the file', async () => {
    const expected = {
      status: 400,
      body: { success: false, reason: 'error-file-upload-disabled', error: 'File upload is disabled [error-file-upload-disabled]', errorType: 'error-file-upload-disabled' },
    };
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(2 * 1024 * 1024)], { type: 'image/png' }), 'cat.png');
    expect(await raw('POST', `/api/v1/livechat/upload/${rid}`, { body: form, headers: { 'x-visitor-token': visitor.token } })).toMatchObject(expected);
    expect(await raw('POST', `/api/v1/livechat/upload/${rid}`)).toMatchObject(expected);
    expect(await conversation()).toEqual(['first']);
  });
});
