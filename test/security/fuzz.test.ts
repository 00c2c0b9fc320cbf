/**
 * Abuse: a fuzz pass with fast-check over the visitor REST API (bodies, query strings, paths) and both WebSocket
 * channels (/ws/visitor, /ws/agent; frames before and after authentication): 10,000 generated cases in all,
 * numRuns fixed. Properties: every HTTP answer is JSON with a status below 500; every socket either answers a
 * sentinel frame after the generated ones (frames are handled in order) or is closed with a client-error code,
 * never with an internal error; no "request failed" / "frame handling failed" in the log; /healthz still answers.
 * A failure prints fast-check's seed and path; FUZZ_SEED=<seed> replays it, FUZZ_TRACE=<file> logs every socket case
 * (and the seed) before it runs, for failures that take the process down. Fixture: security/fuzz.yaml.
 */
import { appendFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginAs, VisitorClient } from '../helpers/chat.js';
import { newVisitorToken, rawSocket, securityDaemon, type SecurityDaemon } from './helpers.js';

const RUNS = { restBodies: 4000, restQueriesAndPaths: 3000, wsVisitor: 1500, wsAgent: 1500 };
const SEED = { seed: process.env.FUZZ_SEED === undefined ? Date.now() ^ (process.pid << 10) : Number(process.env.FUZZ_SEED) };
if (process.env.FUZZ_TRACE) appendFileSync(process.env.FUZZ_TRACE, `seed ${SEED.seed}\n`);

let d: SecurityDaemon;
let visitor: VisitorClient;
let rid: string;
let messageId: string;
let agentToken: string;
const keepAlive = new Agent({ keepAlive: true, maxSockets: 4 });

beforeAll(async () => {
  d = await securityDaemon('fuzz');
  agentToken = (await loginAs(d.url, 'alice')).token!;
  visitor = new VisitorClient(d.url);
  const opened = await visitor.start({ name: 'Fuzzy' });
  expect(opened.status).toBe(200);
  rid = opened.body.room._id;
  const sent = await visitor.send(rid, 'first');
  messageId = sent.body.message._id;
});

afterAll(async () => {
  keepAlive.destroy();
  // The daemon logged no internal error during the whole pass.
  const internal = d?.logs.filter((line) => /"level":50/.test(line));
  await d?.cleanup();
  expect(internal).toEqual([]);
});

// ---- generators -------------------------------------------------------------------------------------------

const EDGE_STRINGS = ['', ' ', '\u0000', 'a\u0000b', '\ud800', '\udc00x', '\u202e', '\u001b[2J', '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '$ne', '{"$ne":""}', '../../etc/passwd', '%00', '<script>alert(1)</script>', 'undefined', 'null', '0', '-1', '1e309', 'x'.repeat(600), 'é'.repeat(300), '👩‍💻'.repeat(50)];

const text = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.constantFrom(...EDGE_STRINGS) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
);
const anyValue = fc.oneof(
  { weight: 4, arbitrary: text },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, true, false, 0, -1, 1.5, 2 ** 53, [], {}, { $ne: '' }, { $gt: '' }, ['x']) },
);
/** [method, path, valid body] of every visitor endpoint that takes a JSON body; MID/TOKEN are filled in when sent. */
const TEMPLATES: [string, string, () => Record<string, unknown>][] = [
  ['POST', 'visitor', () => ({ visitor: { token: newVisitorToken(), name: 'N', email: 'n@example.com', department: 'support', phone: '+1 555', customFields: [{ key: 'company', value: 'ACME', overwrite: true }], connectionData: { a: 1 } } })],
  ['POST', 'visitor', () => ({ visitor: { token: visitor.token, name: 'Fuzzy' } })],
  ['POST', 'visitor.status', () => ({ token: visitor.token, status: 'away' })],
  ['POST', 'room.close', () => ({ token: visitor.token, rid })],
  ['POST', 'room.transfer', () => ({ token: visitor.token, rid, department: 'support' })],
  ['POST', 'room.survey', () => ({ token: visitor.token, rid, data: [{ name: 'satisfaction', value: '5' }, { name: 'additionalFeedback', value: 'ok' }] })],
  ['POST', 'message', () => ({ token: visitor.token, rid, msg: 'hello', _id: `fz${Math.random().toString(36).slice(2, 12)}` })],
  ['PUT', 'message/MID', () => ({ token: visitor.token, rid, msg: 'edited' })],
  ['DELETE', 'message/MID', () => ({ token: visitor.token, rid })],
  ['POST', 'offline.message', () => ({ name: 'N', email: 'n@example.com', message: 'm', department: 'support', host: 'https://x.example' })],
  ['POST', 'page.visited', () => ({ token: visitor.token, rid, pageInfo: { change: 'url', title: 't', location: { href: 'https://x.example/' } } })],
  ['POST', 'custom.field', () => ({ token: visitor.token, key: 'company', value: 'ACME', overwrite: true })],
  ['POST', 'custom.fields', () => ({ token: visitor.token, customFields: [{ key: 'plan', value: 'pro', overwrite: false }] })],
  ['POST', 'transcript', () => ({ token: visitor.token, rid, email: 'n@example.com' })],
  ['DELETE', 'visitor/TOKEN', () => ({})],
  ['POST', 'upload/RID', () => ({})],
];

interface Mutation {
  kind: 'replace' | 'delete' | 'extra' | 'wrap';
  at: number;
  key: string;
  value: unknown;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('replace', 'replace', 'delete', 'extra', 'wrap'),
  at: fc.nat(),
  key: fc.oneof(text.map(String), fc.constantFrom('__proto__', 'constructor', 'prototype', 'agent', '$where')),
  value: fc.oneof({ weight: 4, arbitrary: anyValue }, { weight: 1, arbitrary: fc.constantFrom('@token', '@newToken', '@rid', '@messageId', '@noSuchRoom') }),
});

/** Live values a mutation may put anywhere: real tokens and ids in the wrong places. */
function live(value: unknown): unknown {
  const values: Record<string, () => string> = { '@token': () => visitor.token, '@newToken': newVisitorToken, '@rid': () => rid, '@messageId': () => messageId, '@noSuchRoom': () => 'NoSuchRoom0000000' };
  if (typeof value === 'string' && Object.hasOwn(values, value)) return values[value]!();
  // A copy: constantFrom hands out the same object every time, and mutations must not grow (or loop) it.
  return typeof value === 'object' && value !== null ? structuredClone(value) : value;
}

/** Every [parent, key] in a JSON tree, root first. */
function slots(root: Record<string, unknown>): [Record<string, unknown>, string][] {
  const out: [Record<string, unknown>, string][] = [];
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    for (const [k, v] of Object.entries(node)) {
      out.push([node as Record<string, unknown>, k]);
      stack.push(v);
    }
  }
  return out;
}

/** A valid body with 0–3 mutations: mostly plausible, so requests get past validation into the services too. */
function mutate(body: Record<string, unknown>, mutations: Mutation[]): Record<string, unknown> {
  for (const m of mutations) {
    const all = slots(body);
    const [parent, key] = all.length === 0 ? [body, m.key] : all[m.at % all.length]!;
    // defineProperty: a "__proto__" key becomes an own key of the JSON, as an attacker would send it.
    const put = (target: Record<string, unknown>, k: string, v: unknown) => Object.defineProperty(target, k, { value: v, enumerable: true, configurable: true, writable: true });
    if (m.kind === 'replace') put(parent, key, live(m.value));
    else if (m.kind === 'delete') delete parent[key];
    else if (m.kind === 'extra') put(parent, m.key, live(m.value));
    else put(parent, key, [Object.hasOwn(parent, key) ? structuredClone(parent[key]) : null]);
  }
  return body;
}

const endpointBodies = () =>
  fc.tuple(fc.nat({ max: TEMPLATES.length - 1 }), fc.array(mutation, { maxLength: 3 })).map(([i, mutations]) => {
    const [method, path, template] = TEMPLATES[i]!;
    return [method, path, mutate(template(), mutations)] as const;
  });

/** How the body goes on the wire: JSON, JSON with a twist, or not JSON at all. */
const encoding = fc.oneof(
  { weight: 6, arbitrary: fc.constant('json' as const) },
  { weight: 1, arbitrary: fc.constant('truncated' as const) },
  { weight: 1, arbitrary: fc.constant('raw-string' as const) },
  { weight: 1, arbitrary: fc.constant('wrong-content-type' as const) },
  { weight: 1, arbitrary: fc.constant('invalid-utf8' as const) },
);

// ---- HTTP ------------------------------------------------------------------------------------------------

interface Answer {
  status: number;
  type: string | undefined;
  text: string;
}

function send(method: string, path: string, payload?: Buffer, contentType = 'application/json'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = payload === undefined ? {} : { 'content-type': contentType, 'content-length': String(payload.length) };
    const req = httpRequest(d.url + path, { method, headers, agent: keepAlive }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'], text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** Answers by status class, to check that the generators reach past validation (some requests succeed). */
const seen = new Map<string, number>();

function expectSane(answer: Answer, what: string): void {
  const cls = `${String(answer.status)[0]}xx`;
  seen.set(cls, (seen.get(cls) ?? 0) + 1);
  if (answer.status >= 500 || !/^application\/json/.test(answer.type ?? '')) throw new Error(`${what} → ${answer.status} ${answer.type}: ${answer.text.slice(0, 300)}`);
  JSON.parse(answer.text);
}

/** Characters node:http refuses in a path are escaped; everything else (even a lone "%") goes raw. */
function pathSegment(s: string): string {
  return s.replace(/[^\x21-\x7e]|[?#]/gu, (c) => encodeURIComponent(/^[\uD800-\uDFFF]$/.test(c) ? '\ufffd' : c));
}

describe('fuzz: the visitor REST API', () => {
  it(`bodies: ${RUNS.restBodies} generated requests, no 5xx, always JSON`, { timeout: 120_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(endpointBodies(), encoding, fc.string({ maxLength: 30 }), async ([method, path, payload], how, junk) => {
        const concrete = path.replace('MID', messageId).replace('TOKEN', visitor.token).replace('RID', rid);
        const json = JSON.stringify(payload);
        let contentType = 'application/json';
        let bytes: Buffer;
        switch (how) {
          case 'truncated':
            bytes = Buffer.from(json.slice(0, Math.max(1, json.length - 1 - (junk.length % json.length))));
            break;
          case 'raw-string':
            bytes = Buffer.from(junk);
            break;
          case 'wrong-content-type':
            bytes = Buffer.from(json);
            contentType = junk.length % 2 === 0 ? 'text/plain' : 'application/x-www-form-urlencoded';
            break;
          case 'invalid-utf8':
            bytes = Buffer.concat([Buffer.from(json.slice(0, -1)), Buffer.from([0xc0 + (junk.length % 64), 0xff]), Buffer.from(json.slice(-1))]);
            break;
          default:
            bytes = Buffer.from(json);
        }
        expectSane(await send(method, `/api/v1/livechat/${concrete}`, bytes, contentType), `${method} ${concrete} ${how} ${bytes.toString('utf8').slice(0, 200)}`);
      }),
      { numRuns: RUNS.restBodies, ...SEED },
    );
    // Not only refusals: a fair share got through validation into the services.
    expect(seen.get('2xx') ?? 0, JSON.stringify([...seen])).toBeGreaterThan(RUNS.restBodies / 50);
  });

  it(`query strings and paths: ${RUNS.restQueriesAndPaths} generated requests, no 5xx, always JSON`, { timeout: 120_000 }, async () => {
    const GET_ROUTES = ['config', 'room', 'visitor/:token', 'agent.info/:rid/:token', 'agent.next/:token', 'message/:id', 'messages.history/:rid', 'upload/:rid', 'nope', 'visitor', ''];
    const segment = fc.oneof(
      { weight: 2, arbitrary: fc.constantFrom('VT', 'RID', 'MID') },
      { weight: 2, arbitrary: text.map((s) => pathSegment(String(s))) },
      { weight: 1, arbitrary: fc.constantFrom('%', '%E0%A4%A', '%FF', '%00', '..', '.', '%2e%2e', '%2F', '//', ';', '%C0%AF', '%ED%A0%80') },
    );
    const query = fc.array(
      fc.tuple(
        fc.oneof(fc.constantFrom('token', 'rid', 'limit', 'ls', 'end', 'department', 'agentId', 'businessUnit', 'sort', 'searchText', 'token[$ne]', '__proto__', '__proto__[x]', 'constructor[prototype][x]', '_'), text.map(String)),
        fc.oneof(segment, fc.constantFrom('undefined', '', 'VT', 'RID', '{"$ne":""}', '-1', '99999999999999', '2020-01-01T00:00:00Z', 'x'.repeat(300))),
      ),
      { maxLength: 6 },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...GET_ROUTES), fc.array(segment, { minLength: 1, maxLength: 3 }), query, fc.constantFrom('GET', 'GET', 'GET', 'POST', 'DELETE', 'PUT', 'PATCH', 'HEAD', 'OPTIONS'), async (route, segments, pairs, method) => {
        let i = 0;
        const fill = (s: string) => s.replace('VT', visitor.token).replace('RID', rid).replace('MID', messageId);
        const path = route.replace(/:\w+/g, () => segments[i++ % segments.length]!).split('/').map(fill).join('/');
        const qs = pairs.map(([k, v]) => `${pathSegment(k)}=${fill(v)}`).join('&');
        const target = `/api/v1/livechat/${path}${qs === '' ? '' : `?${qs}`}`;
        const answer = await send(method, target);
        // HEAD has no body by definition; everything else must be JSON.
        if (method === 'HEAD') {
          if (answer.status >= 500) throw new Error(`HEAD ${target} → ${answer.status}`);
          return;
        }
        expectSane(answer, `${method} ${target}`);
      }),
      { numRuns: RUNS.restQueriesAndPaths, ...SEED },
    );
  });
});

// ---- WebSockets ------------------------------------------------------------------------------------------

/** Close codes that blame the client, or say the server is going away; 1011 (internal error) is not among them. */
const CLIENT_CLOSES = [1000, 1001, 1003, 1007, 1008, 1009, 4001, 4003];

/** Valid frames of each type (for the agent channel; the visitor channel takes auth, typing and resume). */
const FRAME_TEMPLATES: Record<string, () => Record<string, unknown>> = {
  auth: () => ({ type: 'auth', token: visitor.token }),
  typing: () => ({ type: 'typing', rid, typing: true }),
  resume: () => ({ type: 'resume', rid, afterSeq: 0 }),
  status: () => ({ type: 'status', status: 'available' }),
  take: () => ({ type: 'take', rid }),
  send: () => ({ type: 'send', rid, msg: 'hello', clientMsgId: `c${Math.random().toString(36).slice(2, 10)}` }),
  close: () => ({ type: 'close', rid, comment: 'bye' }),
  transfer: () => ({ type: 'transfer', rid, department: 'support' }),
};

/** A frame: a valid one with 0–3 mutations, mostly; sometimes text that is not a frame at all. */
const frame = (types: string[]) =>
  fc.oneof(
    { weight: 8, arbitrary: fc.tuple(fc.constantFrom(...types), fc.array(mutation, { maxLength: 3 })).map(([type, mutations]) => JSON.stringify(mutate(FRAME_TEMPLATES[type]!(), mutations))) },
    { weight: 1, arbitrary: fc.string({ maxLength: 60 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.constantFrom('{"type":"typing","__proto__":{"polluted":1}}', '{"type":"constructor"}', '{"type":"__proto__"}', '{"type":"toString","id":"x"}', `${'['.repeat(5000)}${']'.repeat(5000)}`, '{"type":"auth","token":"\\ud800"}', '{"type":"send","msg":"\\u0000"}', '', 'null', '{}') },
  );

async function exchange(path: '/ws/visitor' | '/ws/agent', authenticate: boolean, frames: string[]): Promise<void> {
  if (process.env.FUZZ_TRACE) appendFileSync(process.env.FUZZ_TRACE, `${path} ${authenticate} ${JSON.stringify(frames).slice(0, 2000)}\n`);
  const s = rawSocket(d.url, path);
  await s.opened;
  let before = 0;
  if (authenticate) {
    s.ws.send(JSON.stringify({ type: 'auth', token: path === '/ws/agent' ? agentToken : visitor.token }));
    await s.frame(1);
    before = s.frames.length;
  }
  for (const f of frames) s.ws.send(f);
  // Frames are handled in order: the answer to the sentinel comes after whatever the generated ones caused.
  s.ws.send(JSON.stringify({ type: 'sentinel', id: 'sentinel' }));
  const answered = new Promise<'answered'>((resolve) => {
    const check = () => (s.frames.some((f) => f.id === 'sentinel') ? resolve('answered') : undefined);
    s.ws.on('message', check);
    check();
  });
  const outcome = await Promise.race([answered, s.closed]);
  const internal = s.frames.slice(before).find((f) => f.type === 'error' && f.code === 'internal-error');
  if (internal) throw new Error(`internal error frame: ${JSON.stringify(internal)}`);
  if (outcome !== 'answered' && !CLIENT_CLOSES.includes(outcome.code)) throw new Error(`closed with ${outcome.code} ${outcome.reason}`);
  if (outcome === 'answered') {
    s.ws.close();
    await s.closed;
  }
}

describe('fuzz: the WebSocket channels', () => {
  // The REST pass may have closed the room or removed the visitor (both legitimate); the sockets get fresh ones.
  beforeAll(async () => {
    visitor = new VisitorClient(d.url);
    const opened = await visitor.start({ name: 'Sockets' });
    expect(opened.status).toBe(200);
    rid = opened.body.room._id;
    messageId = (await visitor.send(rid, 'first')).body.message._id;
  });

  for (const [path, runs, types] of [
    ['/ws/visitor', RUNS.wsVisitor, ['auth', 'typing', 'resume', 'send']],
    ['/ws/agent', RUNS.wsAgent, ['auth', 'typing', 'resume', 'status', 'take', 'send', 'close', 'transfer']],
  ] as const) {
    it(`${path}: ${runs} generated connections of 1–3 frames, before and after auth; never an internal error`, { timeout: 120_000 }, async () => {
      await fc.assert(
        fc.asyncProperty(fc.boolean(), fc.array(frame([...types]), { minLength: 1, maxLength: 3 }), async (authenticate, frames) => {
          await exchange(path, authenticate, frames);
        }),
        { numRuns: runs, ...SEED },
      );
    });
  }
});

describe('after the fuzz', () => {
  it('the daemon still answers /healthz and /readyz, and serves a visitor', async () => {
    expect((await fetch(`${d.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${d.url}/readyz`)).status).toBe(200);
    const fresh = new VisitorClient(d.url);
    expect((await fresh.register({ name: 'After' })).status).toBe(200);
    expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
  });
});
