/**
 * Abuse: access. A valid token for someone else's room or message answers exactly like a room or message that
 * does not exist (status and body), on every visitor endpoint and over /ws/visitor; secrets are compared in
 * constant time; no token, password, hash or webhook secret appears in an answer it does not belong to, nor in
 * any log line of a full chat scenario. Fixture: security/access.yaml.
 *
 * Covered elsewhere, not repeated: room, message, messages.history, agent.info, message GET, room.transfer and
 * room.close for another visitor's open and closed room (test/integration/chat-visitor-errors.test.ts "another
 * visitor's room"); agent API answers without the visitor token (test/integration/http-agent.test.ts); agent
 * session tokens stored hashed and never logged (test/integration/chat-agent-auth.test.ts).
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient as RealtimeAgent, VisitorClient as RealtimeVisitor } from '../../src/client/index.js';
import { nodeSocket } from '../../src/client/node.js';
import { hashPassword } from '../../src/domain/password.js';
import { sameSecret } from '../../src/services/ids.js';
import { loginAs, openChat, request, VisitorClient, type AgentClient, type Reply } from '../helpers/chat.js';
import { Recorder } from '../helpers/realtime.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { rawSocket, securityDaemon, type SecurityDaemon } from './helpers.js';

const secret = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;
const ALICE_PASSWORD = secret('alicePw-');
const BOB_PASSWORD = secret('bobPw-');
const WEBHOOK_SECRET = secret('hookSecret-');
const WEBHOOK_KEY = secret('hookKey-');
const MIA_HASH = '$scrypt$ln=10,r=8,p=1$X31MlbyMvqqoPvNcEjtpiA$bV6TxvUeIw1pheIQCGTKJJ/v0IjGqno3G63yh9EWSvA';

let d: SecurityDaemon;
let receiver: Receiver;
let aliceHash: string;
let bobHash: string;

beforeAll(async () => {
  // The first delivery fails, so the log has a failed attempt (with its error) too.
  receiver = await startReceiver((r) => (r.n === 1 ? 500 : 200));
  aliceHash = await hashPassword(ALICE_PASSWORD, { ln: 10, r: 8, p: 1 });
  bobHash = await hashPassword(BOB_PASSWORD, { ln: 10, r: 8, p: 1 });
  d = await securityDaemon('access', { ALICE_HASH: aliceHash, BOB_HASH: bobHash, WEBHOOK_SECRET, WEBHOOK_URL: `${receiver.url}?key=${WEBHOOK_KEY}` });
});

afterAll(async () => {
  await d?.cleanup();
  await receiver?.close();
});

const NO_SUCH_ROOM = 'NoSuchRoom0000000';
const NO_SUCH_MESSAGE = 'NoSuchMessage0000';

function expectSame(mine: Reply<unknown>, missing: Reply<unknown>, what: string): void {
  expect({ status: mine.status, body: mine.body }, what).toEqual({ status: missing.status, body: missing.body });
}

describe("someone else's room or message reads as one that does not exist", () => {
  let alice: AgentClient;
  let a: VisitorClient;
  let b: VisitorClient;
  let ridA: string;
  let ridB: string;
  let msgB: string;

  beforeAll(async () => {
    alice = await loginAs(d.url, 'alice', ALICE_PASSWORD);
    const chatA = await openChat(d.url, { name: 'Anna' });
    const chatB = await openChat(d.url, { name: 'Ben' });
    a = chatA.visitor;
    b = chatB.visitor;
    ridA = chatA.room._id;
    ridB = chatB.room._id;
    expect((await alice.take(ridB)).status).toBe(200);
    const sent = await b.send(ridB, 'private to B');
    expect(sent.status).toBe(200);
    msgB = sent.body.message._id;
  });

  it('on the endpoints chat-visitor-errors.test.ts does not cover: survey, transcript, page.visited, message PUT/DELETE/GET', async () => {
    const call = (method: string, path: string, body?: unknown) => request(d.url, method, `/api/v1/livechat/${path}`, body === undefined ? {} : { body });
    const T = a.token;
    const pairs: [string, () => Promise<Reply<unknown>>, () => Promise<Reply<unknown>>][] = [
      ['room.survey', () => call('POST', 'room.survey', { token: T, rid: ridB, data: [{ name: 'satisfaction', value: '1' }] }), () => call('POST', 'room.survey', { token: T, rid: NO_SUCH_ROOM, data: [{ name: 'satisfaction', value: '1' }] })],
      ['transcript', () => call('POST', 'transcript', { token: T, rid: ridB, email: 'a@example.com' }), () => call('POST', 'transcript', { token: T, rid: NO_SUCH_ROOM, email: 'a@example.com' })],
      ['page.visited', () => call('POST', 'page.visited', { token: T, rid: ridB, pageInfo: { change: 'url', title: 'x', location: { href: 'https://x.example/' } } }), () => call('POST', 'page.visited', { token: T, rid: NO_SUCH_ROOM, pageInfo: { change: 'url', title: 'x', location: { href: 'https://x.example/' } } })],
      ['PUT message, their room', () => call('PUT', `message/${msgB}`, { token: T, rid: ridB, msg: 'hijack' }), () => call('PUT', `message/${msgB}`, { token: T, rid: NO_SUCH_ROOM, msg: 'hijack' })],
      ['PUT message, my room', () => call('PUT', `message/${msgB}`, { token: T, rid: ridA, msg: 'hijack' }), () => call('PUT', `message/${NO_SUCH_MESSAGE}`, { token: T, rid: ridA, msg: 'hijack' })],
      ['DELETE message, their room', () => call('DELETE', `message/${msgB}`, { token: T, rid: ridB }), () => call('DELETE', `message/${msgB}`, { token: T, rid: NO_SUCH_ROOM })],
      ['DELETE message, my room', () => call('DELETE', `message/${msgB}`, { token: T, rid: ridA }), () => call('DELETE', `message/${NO_SUCH_MESSAGE}`, { token: T, rid: ridA })],
      ['GET message, my room', () => call('GET', `message/${msgB}?token=${T}&rid=${ridA}`), () => call('GET', `message/${NO_SUCH_MESSAGE}?token=${T}&rid=${ridA}`)],
      ['GET message, no rid', () => call('GET', `message/${msgB}?token=${T}`), () => call('GET', `message/${NO_SUCH_MESSAGE}?token=${T}`)],
      ['room by rid', () => call('GET', `room?token=${T}&rid=${ridB}`), () => call('GET', `room?token=${T}&rid=${NO_SUCH_ROOM}`)],
    ];
    for (const [what, theirs, missing] of pairs) {
      const reply = await theirs();
      expectSame(reply, await missing(), what);
      // page.visited records the page under the caller's own token (no room) and answers 200 either way.
      if (what !== 'page.visited') expect(reply.status, what).toBe(400);
    }

    // Nothing of B's changed, and A learnt nothing of B's.
    expect((await b.history(ridB)).body.messages.map((m) => m.msg)).toEqual(['private to B']);
    const roomB = await b.room();
    expect(roomB.body.room).toMatchObject({ _id: ridB, open: true });
    expect(roomB.body.room).not.toHaveProperty('surveyFeedback');
    expect(roomB.body.room).not.toHaveProperty('transcriptRequest');
    const seenByAgent = await request<{ visitor: { pages?: { page: { location: { href: string } } }[] } }>(d.url, 'GET', `/api/v1/agent/rooms/${ridB}/visitor`, { headers: { authorization: `Bearer ${alice.token}` } });
    expect(seenByAgent.status).toBe(200);
    expect(JSON.stringify(seenByAgent.body)).not.toContain('x.example');
  });

  it('over /ws/visitor: typing and resume in their room answer like in a missing one', async () => {
    const s = rawSocket(d.url, '/ws/visitor');
    await s.opened;
    s.ws.send(JSON.stringify({ type: 'auth', token: a.token }));
    await s.frame(1);
    let errors = 0;
    const ask = async (frame: object) => {
      s.ws.send(JSON.stringify(frame));
      return s.nth('error', ++errors);
    };
    expect(await ask({ type: 'typing', rid: ridB, typing: true })).toEqual(await ask({ type: 'typing', rid: NO_SUCH_ROOM, typing: true }));
    expect(await ask({ type: 'resume', rid: ridB, afterSeq: 0 })).toEqual(await ask({ type: 'resume', rid: NO_SUCH_ROOM, afterSeq: 0 }));
    expect(s.frames.some((f) => JSON.stringify(f).includes('private to B'))).toBe(false);
    s.ws.close();
  });

  it("config with my token shows my guest and room, never another visitor's", async () => {
    const config = await a.config();
    expect(config.body.config.guest).toMatchObject({ token: a.token });
    expect(JSON.stringify(config.body)).not.toContain(b.token);
    expect(JSON.stringify(config.body)).not.toContain(ridB);
  });
});

describe('secrets are compared in constant time', () => {
  it('sameSecret: equal only for equal strings, whatever their lengths', () => {
    const token = randomBytes(32).toString('hex');
    expect(sameSecret(token, token)).toBe(true);
    expect(sameSecret(token, `${token}x`)).toBe(false);
    expect(sameSecret(token, token.slice(0, -1))).toBe(false);
    expect(sameSecret(token, '')).toBe(false);
    expect(sameSecret('', '')).toBe(true);
    expect(sameSecret('é', 'e\u0301')).toBe(false);
  });
});

describe('no secret where it does not belong: answers, frames and every log line of a full chat', () => {
  it('a whole chat, with failures, webhooks and admin calls; then grep everything', { timeout: 60_000 }, async () => {
    // Answers to visitors may carry that visitor's own token; answers to agents and managers never a visitor's.
    const answers: { to: 'visitor' | 'agent'; text: string }[] = [];
    const keepFor = (to: 'visitor' | 'agent') => <T extends Reply<unknown>>(reply: T): T => {
      answers.push({ to, text: JSON.stringify(reply.body) });
      return reply;
    };
    const keep = keepFor('visitor');
    const keepAgent = keepFor('agent');
    const agentFrames = new Recorder();
    const visitorFrames = new Recorder();

    // Failed logins: wrong passwords (themselves secrets), unknown users.
    const wrongPassword = secret('wrongPw-');
    keepAgent(await request(d.url, 'POST', '/api/v1/agent/login', { body: { username: 'alice', password: wrongPassword } }));
    keepAgent(await request(d.url, 'POST', '/api/v1/agent/login', { body: { username: 'nobody', password: ALICE_PASSWORD } }));

    // Agents log in over the product's own clients; alice also over REST.
    const aliceRt = new RealtimeAgent({ server: d.url, socket: nodeSocket, backoff: { baseMs: 20, maxMs: 200 } });
    const aliceLogin = await aliceRt.login('alice', ALICE_PASSWORD);
    const aliceReady = aliceRt.connect();
    aliceRt.on(agentFrames.push);
    await aliceReady;
    const bob = await loginAs(d.url, 'bob', BOB_PASSWORD);
    const mia = await loginAs(d.url, 'mia', 'pw');
    const sessionTokens = [aliceLogin.token, bob.token!, mia.token!];
    keepAgent(await bob.me());

    // A visitor registers with a custom field, connects, opens a chat, navigates, types, writes.
    const vera = new RealtimeVisitor({ server: d.url, token: secret('veraToken-'), socket: nodeSocket, backoff: { baseMs: 20, maxMs: 200 } });
    const other = new VisitorClient(d.url, secret('otherToken-'));
    keep(await other.register({ name: 'Otto' }));
    await vera.register({ name: 'Vera', email: 'vera@example.com' });
    const { room } = await vera.openRoom();
    const veraReady = vera.connect();
    vera.on(visitorFrames.push);
    await veraReady;
    const veraHttp = new VisitorClient(d.url, vera.token);
    keep(await request(d.url, 'POST', '/api/v1/livechat/custom.field', { body: { token: vera.token, key: 'company', value: 'ACME', overwrite: true } }));
    keep(await request(d.url, 'POST', '/api/v1/livechat/page.visited', { body: { token: vera.token, rid: room._id, pageInfo: { change: 'url', title: 'Pricing', location: { href: 'https://shop.example/pricing' } } } }));
    keep(await veraHttp.send(room._id, 'hello, I need help'));
    keep(await veraHttp.config());
    vera.typing(room._id, true);

    // alice takes it, answers over the socket; bob reads what he may; the chat moves to bob, who closes it.
    await aliceRt.take(room._id);
    await aliceRt.send(room._id, 'hi Vera, alice here');
    await visitorFrames.next((f) => f.type === 'message' && (f.message as { msg: string }).msg === 'hi Vera, alice here');
    keepAgent(await request(d.url, 'GET', `/api/v1/agent/rooms/${room._id}/visitor`, { headers: { authorization: `Bearer ${aliceLogin.token}` } }));
    keepAgent(await request(d.url, 'GET', '/api/v1/agent/agents', { headers: { authorization: `Bearer ${aliceLogin.token}` } }));
    keepAgent(await bob.queue());
    await aliceRt.transfer(room._id, { agent: 'bob' });
    keepAgent(await bob.send(room._id, 'bob here, closing'));
    keepAgent(await bob.close(room._id, 'done'));
    keepAgent(await bob.rooms());

    // Wrong tokens in every place a token travels.
    const guessed = secret('guessedToken');
    keep(await request(d.url, 'GET', `/api/v1/livechat/visitor/${guessed}`));
    keep(await request(d.url, 'GET', `/api/v1/livechat/room?token=${guessed}`));
    keepAgent(await request(d.url, 'GET', '/api/v1/agent/me', { headers: { authorization: `Bearer ${guessed}` } }));
    const badSocket = rawSocket(d.url, '/ws/agent');
    await badSocket.opened;
    badSocket.ws.send(JSON.stringify({ type: 'auth', token: guessed }));
    await badSocket.closed;

    // An offline message and the manager's admin calls (the configuration, redacted; a no-op reload).
    keep(await request(d.url, 'POST', '/api/v1/livechat/offline.message', { body: { name: 'Olga', email: 'olga@example.com', message: 'call me' } }));
    const adminConfig = keepAgent(await request(d.url, 'GET', '/api/v1/admin/config', { headers: { authorization: `Bearer ${mia.token}` } }));
    expect(adminConfig.status).toBe(200);
    keepAgent(await request(d.url, 'POST', '/api/v1/admin/reload', { headers: { authorization: `Bearer ${mia.token}` }, body: {} }));
    keepAgent(await request(d.url, 'GET', '/api/v1/admin/webhooks/failed', { headers: { authorization: `Bearer ${mia.token}` } }));

    // The webhooks arrived (the chat's end and the offline message), with the secret where it belongs.
    await receiver.until(() => receiver.delivered().length >= 2);
    for (const r of receiver.requests) expect(r.headers['x-rocketchat-livechat-token']).toBe(WEBHOOK_SECRET);

    aliceRt.disconnect();
    vera.disconnect();
    await d.stop(); // flushes: the log lines of the shutdown are in too

    const visitorTokens = [vera.token, other.token];
    const everySecret: [string, string][] = [
      ...visitorTokens.map((t) => ['visitor token', t] as [string, string]),
      ...sessionTokens.map((t) => ['session token', t] as [string, string]),
      ...sessionTokens.map((t) => ['hashed session token', createHash('sha256').update(t).digest('hex')] as [string, string]),
      ['alice password', ALICE_PASSWORD],
      ['bob password', BOB_PASSWORD],
      ['a wrong password', wrongPassword],
      ['a guessed token', guessed],
      ...[aliceHash, bobHash, MIA_HASH].flatMap((h) => [['password hash', h], ['password hash key', h.split('$').at(-1)!]] as [string, string][]),
      ['webhook secret', WEBHOOK_SECRET],
      ['webhook URL key', WEBHOOK_KEY],
    ];
    const logs = d.logs.join('');
    // The scenario did log: requests refused, a failed webhook attempt, the reload; at debug level.
    expect(logs).toContain('webhook delivery attempt failed');
    expect(logs).toContain('webhook delivered');
    for (const [what, value] of everySecret) expect(logs.includes(value), `${what} in the logs`).toBe(false);

    // Answers: no password, hash, webhook secret or other agent's session anywhere (a login answers its own
    // session token, kept out of `answers`); a visitor token only in answers to that visitor.
    const allAnswers = answers.map((a) => a.text).join('\n');
    for (const [what, value] of everySecret.filter(([w]) => w !== 'visitor token')) expect(allAnswers.includes(value), `${what} in an answer`).toBe(false);
    const toAgents = answers.filter((a) => a.to === 'agent').map((a) => a.text).join('\n');
    const toVera = answers.filter((a) => a.to === 'visitor' && !a.text.includes('Otto')).map((a) => a.text).join('\n');
    expect(toAgents.includes(vera.token), 'visitor token in an answer to an agent').toBe(false);
    expect(toAgents.includes(other.token), 'visitor token in an answer to an agent').toBe(false);
    expect(toVera.includes(other.token), "another visitor's token in an answer to Vera").toBe(false);
    for (const t of visitorTokens) expect(JSON.stringify(agentFrames.frames).includes(t), 'visitor token in an agent frame').toBe(false);
    expect(JSON.stringify(adminConfig.body)).not.toMatch(/\$scrypt\$/);
    for (const t of sessionTokens) expect(JSON.stringify(visitorFrames.frames).includes(t), 'session token in a visitor frame').toBe(false);
  });
});
