/**
 * The agent API's front door: bearer-token authentication on every endpoint, login refusals that say the same
 * for an unknown user and a wrong password, bad bodies and queries, and secrets kept out of logs and URLs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { AgentClient, loginAs, openChat, request, VisitorClient, type Reply } from '../helpers/chat.js';
import { tempDir } from '../helpers/tmp.js';

const PASSWORD = 'correct horse';
let d: TestDaemon;
let dir: Awaited<ReturnType<typeof tempDir>>;
let alice: AgentClient;
let rid: string;

beforeAll(async () => {
  dir = await tempDir('livechatd-http-');
  d = await startDaemon('http/open.yaml', { DATA_DIR: dir.path });
  alice = await loginAs(d.url, 'alice', PASSWORD);
  const chat = await openChat(d.url);
  rid = chat.room._id;
  expect(chat.room.servedBy?.username).toBe('alice');
});

afterAll(async () => {
  await d?.stop();
  await dir?.remove();
});

const AUTHED: [string, string, unknown?][] = [
  ['POST', '/api/v1/agent/logout', {}],
  ['GET', '/api/v1/agent/me'],
  ['POST', '/api/v1/agent/status', { status: 'away' }],
  ['GET', '/api/v1/agent/rooms'],
  ['GET', '/api/v1/agent/queue'],
  ['GET', '/api/v1/agent/rooms/RID/messages'],
  ['POST', '/api/v1/agent/rooms/RID/take', {}],
  ['POST', '/api/v1/agent/rooms/RID/messages', { msg: 'hi' }],
  ['POST', '/api/v1/agent/rooms/RID/close', {}],
  ['POST', '/api/v1/agent/rooms/RID/transfer', { agent: 'alice' }],
  ['GET', '/api/v1/agent/rooms/RID/visitor'],
  ['GET', '/api/v1/agent/agents'],
];

function expectUnauthorized(reply: Reply<unknown>): void {
  expect(reply.status).toBe(401);
  expect(reply.body).toEqual({ success: false, error: 'Not logged in [unauthorized]', errorType: 'unauthorized' });
}

function agentCall(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; query?: Record<string, string> } = {}) {
  return request(d.url, method, path.replace('RID', rid), options);
}

describe('authentication', () => {
  it.each(AUTHED)('%s %s: 401 without a valid bearer token, in any form', async (method, path, body) => {
    const badHeaders = [{}, { authorization: 'Bearer' }, { authorization: `Basic ${Buffer.from('alice:x').toString('base64')}` }, { authorization: 'Bearer not-a-session-token' }, { authorization: `bearer  ${alice.token}x` }];
    for (const headers of badHeaders) expectUnauthorized(await agentCall(method, path, { headers, ...(body !== undefined && { body }) }));
    // The token is never accepted from a URL.
    expectUnauthorized(await agentCall(method, path, { query: { token: alice.token! }, ...(body !== undefined && { body }) }));
  });

  it('nothing happened to the room or alice while the calls were refused', async () => {
    const me = await alice.me();
    expect(me.body.user.status).toBe('available');
    const rooms = await alice.rooms();
    expect(rooms.body.rooms.map((r) => [r._id, r.open])).toEqual([[rid, true]]);
    expect((await alice.messages(rid)).body.messages.filter((m) => m.t === undefined)).toEqual([]);
  });
});

describe('login', () => {
  it('an unknown user and a wrong password get the same 401', async () => {
    const wrong = await request(d.url, 'POST', '/api/v1/agent/login', { body: { username: 'alice', password: 'wrong horse' } });
    const unknown = await request(d.url, 'POST', '/api/v1/agent/login', { body: { username: 'mallory', password: 'wrong horse' } });
    for (const reply of [wrong, unknown]) {
      expect(reply.status).toBe(401);
      expect(reply.body).toEqual({ success: false, error: 'Invalid username or password [unauthorized]', errorType: 'unauthorized' });
    }
  });

  it('bad bodies are 400s that never repeat the password', async () => {
    const cases: [unknown, RegExp][] = [
      [{ username: 'alice' }, /password is required/],
      [{ username: { $ne: '' }, password: 'x' }, /username must be a string/],
      [{ username: 'alice', password: { $ne: '' } }, /password must be a string/],
      [{ username: 'alice', password: 'hunter2secret', remember: true }, /unknown field "remember"/],
    ];
    for (const [body, mentions] of cases) {
      const res = await request(d.url, 'POST', '/api/v1/agent/login', { body });
      expect(res.status).toBe(400);
      expect((res.body as { error: string }).error).toMatch(mentions);
      expect(JSON.stringify(res.body)).not.toContain('hunter2');
    }
  });

  it('the session token and password never reach the logs', async () => {
    const session = await loginAs(d.url, 'alice', PASSWORD);
    await session.me();
    await request(d.url, 'POST', '/api/v1/agent/login', { body: { username: 'alice', password: 'wrong horse' } });
    const logs = d.logs.join('');
    expect(logs).not.toContain(session.token!);
    expect(logs).not.toContain(PASSWORD);
    expect(logs).not.toContain('wrong horse');
  });
});

describe('bad input from a logged-in agent', () => {
  const auth = () => ({ authorization: `Bearer ${alice.token}` });

  it('is refused with invalid-params and stores nothing', async () => {
    const cases: [string, string, unknown, RegExp][] = [
      ['POST', '/api/v1/agent/status', { status: 'busy' }, /status must be one of: available, away/],
      ['POST', '/api/v1/agent/rooms/RID/messages', { msg: 42 }, /msg must be a string/],
      ['POST', '/api/v1/agent/rooms/RID/messages', { msg: 'hi', clientMsgId: 'a b' }, /clientMsgId must be 1 to 64 characters/],
      ['POST', '/api/v1/agent/rooms/RID/messages', { msg: 'hi', rid: 'elsewhere' }, /unknown field "rid"/],
      ['POST', '/api/v1/agent/rooms/RID/close', { comment: ['x'] }, /comment must be a string/],
      ['POST', '/api/v1/agent/rooms/RID/transfer', {}, /exactly one of agent, department is required/],
      ['POST', '/api/v1/agent/rooms/RID/transfer', { agent: 'alice', department: 'x' }, /exactly one of agent, department is required/],
      ['POST', '/api/v1/agent/rooms/RID/take', { force: true }, /unknown field "force"/],
      ['POST', '/api/v1/agent/rooms/bad%20rid/take', {}, /rid must be 1 to 64 characters/],
    ];
    for (const [method, path, body, mentions] of cases) {
      const res = await agentCall(method, path, { body, headers: auth() });
      expect(res.status, path).toBe(400);
      expect(res.body, path).toEqual({ success: false, error: expect.stringMatching(mentions), errorType: 'invalid-params' });
    }
    const history = await agentCall('GET', '/api/v1/agent/rooms/RID/messages', { query: { afterSeq: '-1' }, headers: auth() });
    expect(history.body).toMatchObject({ errorType: 'invalid-params', error: expect.stringMatching(/afterSeq must be a whole number/) });
    expect((await alice.me()).body.user.status).toBe('available');
    expect((await alice.rooms()).body.rooms).toMatchObject([{ _id: rid, open: true }]);
    expect((await alice.messages(rid)).body.messages.filter((m) => m.t === undefined)).toEqual([]);
  });

  it('answers of the agent API never carry the visitor token', async () => {
    const sent = await alice.send(rid, 'hello');
    expect(sent.status).toBe(200);
    const rooms = await alice.rooms();
    expect(rooms.body.rooms[0]?.v).not.toHaveProperty('token');
    expect(JSON.stringify(rooms.body)).not.toMatch(/"token"/);
  });
});

const FIREFOX = 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0';

describe('GET /api/v1/agent/rooms/:rid/visitor', () => {
  const auth = () => ({ authorization: `Bearer ${alice.token}` });

  it("gives the room's visitor, labelled custom fields, browser/OS and pages visited, never the token", async () => {
    const visitor = new VisitorClient(d.url);
    // The page before registering counts: it is the path that led to the chat.
    const page = (title: string, href: string) =>
      request(d.url, 'POST', '/api/v1/livechat/page.visited', { body: { token: visitor.token, rid: null, pageInfo: { change: 'url', title, location: { href } } } });
    expect((await page('Pricing', 'https://shop.example/pricing')).status).toBe(200);
    const registered = await request(d.url, 'POST', '/api/v1/livechat/visitor', {
      headers: { 'user-agent': FIREFOX },
      body: { visitor: { token: visitor.token, name: 'Vic Visitor', email: 'vic@example.com' } },
    });
    expect(registered.status).toBe(200);
    expect((await visitor.customFields([{ key: 'company', value: 'Acme', overwrite: true }])).status).toBe(200);
    const { room } = (await visitor.room()).body;
    expect((await page('Checkout', 'https://shop.example/checkout')).status).toBe(200);

    const res = await agentCall('GET', `/api/v1/agent/rooms/${room._id}/visitor`, { headers: auth() });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      visitor: {
        _id: room.v._id,
        username: room.v.username,
        name: 'Vic Visitor',
        email: 'vic@example.com',
        customFields: [{ id: 'company', label: 'Company', value: 'Acme' }],
        userAgent: FIREFOX,
        browser: 'Firefox 121.0',
        os: 'Ubuntu',
        ip: expect.any(String),
      },
      pages: [
        { ts: expect.any(String), title: 'Pricing', href: 'https://shop.example/pricing' },
        { ts: expect.any(String), title: 'Checkout', href: 'https://shop.example/checkout' },
      ],
    });
    expect(JSON.stringify(res.body)).not.toContain(visitor.token);
    expect(JSON.stringify(res.body)).not.toMatch(/"token"/);
    await agentCall('POST', `/api/v1/agent/rooms/${room._id}/close`, { headers: auth(), body: {} });
  });

  it('a room id that is malformed is a 400, an unknown or closed one a 404', async () => {
    const bad = await agentCall('GET', '/api/v1/agent/rooms/bad%20rid/visitor', { headers: auth() });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ errorType: 'invalid-params', error: expect.stringMatching(/rid must be 1 to 64 characters/) });
    const unknown = await agentCall('GET', '/api/v1/agent/rooms/nosuchroom/visitor', { headers: auth() });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ success: false, errorType: 'not-found' });
  });
});

describe('GET /api/v1/agent/agents', () => {
  it('lists the configured agents with live status and departments', async () => {
    const res = await agentCall('GET', '/api/v1/agent/agents', { headers: { authorization: `Bearer ${alice.token}` } });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ success: true, agents: [{ username: 'alice', name: 'Alice', status: expect.stringMatching(/^(available|away)$/), departments: [] }] });
    expect(JSON.stringify(res.body)).not.toMatch(/passwordHash|scrypt/);
  });
});

describe('who may read a visitor and the agent list', () => {
  let m: TestDaemon;
  let mdir: Awaited<ReturnType<typeof tempDir>>;
  const agents: Record<string, AgentClient> = {};
  const rids: Record<'sales' | 'support' | 'queued', string> = { sales: '', support: '', queued: '' };
  const visitorOf = (who: string, room: string) => request(m.url, 'GET', `/api/v1/agent/rooms/${room}/visitor`, { headers: { authorization: `Bearer ${agents[who]!.token}` } });

  beforeAll(async () => {
    mdir = await tempDir('livechatd-http-');
    m = await startDaemon('chat/managers.yaml', { DATA_DIR: mdir.path });
    for (const who of ['alice', 'carol', 'lead']) agents[who] = await loginAs(m.url, who);
    for (const department of ['sales', 'support'] as const) {
      const chat = await openChat(m.url, { department });
      expect(chat.room.servedBy?.username).toBe(department === 'sales' ? 'alice' : 'carol');
      rids[department] = chat.room._id;
    }
    expect((await agents.carol!.setStatus('away')).status).toBe(200);
    const queued = await openChat(m.url, { department: 'support' });
    expect(queued.room.status).toBe('queued');
    rids.queued = queued.room._id;
  });

  afterAll(async () => {
    await m?.stop();
    await mdir?.remove();
  });

  it("agents read their own rooms' visitors and the queue they may take from; others' rooms read as missing", async () => {
    expect((await visitorOf('alice', rids.sales)).status).toBe(200);
    expect((await visitorOf('carol', rids.support)).status).toBe(200);
    expect((await visitorOf('carol', rids.queued)).status).toBe(200);
    for (const [who, room] of [['alice', rids.support], ['alice', rids.queued], ['carol', rids.sales]] as const) {
      const res = await visitorOf(who, room);
      expect(res.status, `${who} ${room}`).toBe(404);
      expect(res.body).toEqual({ success: false, error: 'No such open room [not-found]', errorType: 'not-found' });
    }
  });

  it('managers read any open room', async () => {
    for (const room of Object.values(rids)) expect((await visitorOf('lead', room)).status).toBe(200);
  });

  it('any logged-in user lists the agents, managers left out, with their live status', async () => {
    for (const who of ['alice', 'lead']) {
      const res = await request(m.url, 'GET', '/api/v1/agent/agents', { headers: { authorization: `Bearer ${agents[who]!.token}` } });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        success: true,
        agents: [
          { username: 'alice', name: 'Alice', status: 'available', departments: ['sales'] },
          { username: 'bob', name: 'Bob', status: 'offline', departments: ['sales'] },
          { username: 'carol', name: 'Carol', status: 'away', departments: ['support'] },
        ],
      });
    }
  });
});
