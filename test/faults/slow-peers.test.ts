/**
 * Slow and dead peers, end to end: a webhook receiver that never answers, a visitor whose socket stops reading, an
 * agent whose network vanishes without a FIN. Each is isolated — the other chats keep flowing, every message
 * arrives, in order — and the documented timeouts apply: the webhook's `timeoutSeconds` and `retry.attempts`
 * (then a dead letter), the send-buffer cap (close 1013, then resume loses nothing), the heartbeat and
 * `agentGraceSeconds` (the chat moves to another agent, and the visitor is told). Asserts order and completion,
 * never durations.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../src/client/index.js';
import { VisitorClient as RealtimeVisitor } from '../../src/client/index.js';
import { nodeSocket } from '../../src/client/node.js';
import { CLOSE } from '../../src/realtime/close-codes.js';
import { startBlackholeProxy } from '../helpers/blackhole-proxy.js';
import { loginAs, request, VisitorClient } from '../helpers/chat.js';
import { startDaemon, type ExtraOptions, type TestDaemon } from '../helpers/daemon.js';
import { agent, rawSocket, Recorder, visitor } from '../helpers/realtime.js';
import { eventually, startReceiver, type Receiver } from '../helpers/receiver.js';
import { tempDir } from '../helpers/tmp.js';

type Agent = Awaited<ReturnType<typeof agent>>;
type Visitor = Awaited<ReturnType<typeof visitor>>;

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(extra: ExtraOptions = {}): Promise<{ d: TestDaemon; stuck: Receiver; crm: Receiver }> {
  const stuck = await startReceiver('hang');
  const crm = await startReceiver(200);
  const dir = await tempDir('livechatd-faults-');
  const d = await startDaemon('faults/slow-peers.yaml', { DATA_DIR: dir.path, STUCK_URL: stuck.url, CRM_URL: crm.url }, extra);
  cleanups.push(dir.remove, () => stuck.close(), () => crm.close(), () => d.stop());
  return { d, stuck, crm };
}

function track<T extends { client: { disconnect(): void } }>(peer: T): T {
  cleanups.push(() => peer.client.disconnect());
  return peer;
}

const texts = (frames: Recorder, rid: string, prefix: string) => frames.messages(rid).map((m) => m.msg).filter((msg) => msg.startsWith(prefix));

/**
 * `n` exchanges in one chat, each acknowledged before the next (visitor over REST, agent over /ws/agent); then
 * both sides must have received every message of the other, once, in the order sent.
 */
async function converse(url: string, v: Visitor, a: Agent, n: number, tag: string): Promise<void> {
  const rest = new VisitorClient(url, v.client.token);
  const sent = { visitor: [] as string[], agent: [] as string[] };
  for (let i = 0; i < n; i++) {
    const fromVisitor = `${tag} visitor ${i}`;
    expect((await rest.send(v.rid, fromVisitor)).status).toBe(200);
    sent.visitor.push(fromVisitor);
    const fromAgent = `${tag} agent ${i}`;
    await a.client.send(v.rid, fromAgent);
    sent.agent.push(fromAgent);
  }
  await a.frames.next((f) => isMessage(f, v.rid, sent.visitor.at(-1)!));
  await v.frames.next((f) => isMessage(f, v.rid, sent.agent.at(-1)!));
  expect(texts(a.frames, v.rid, `${tag} visitor`)).toEqual(sent.visitor);
  expect(texts(v.frames, v.rid, `${tag} agent`)).toEqual(sent.agent);
}

function isMessage(f: Frame, rid: string, msg: string): boolean {
  return f.type === 'message' && f.rid === rid && (f.message as { msg: string }).msg === msg;
}

async function servedBy(url: string, v: Visitor): Promise<string | undefined> {
  return (await new VisitorClient(url, v.client.token).room({ rid: v.rid })).body.room.servedBy?.username;
}

describe('a webhook receiver that hangs', () => {
  it('holds up neither chats nor the other webhook; each attempt is cut after timeoutSeconds, then a dead letter', async () => {
    const { d, stuck, crm } = await setup();
    const alice = track(await agent(d.url, 'alice'));
    const bob = track(await agent(d.url, 'bob'));
    const first = track(await visitor(d.url, 'First', 'sales'));
    const second = track(await visitor(d.url, 'Second', 'sales'));
    expect([await servedBy(d.url, first), await servedBy(d.url, second)]).toEqual(['bob', 'bob']);

    expect((await new VisitorClient(d.url, first.client.token).close(first.rid)).status).toBe(200);
    await stuck.received(1); // the stuck receiver now holds the LivechatSession delivery
    await converse(d.url, second, bob, 10, 'while stuck');
    await crm.until((requests) => requests.filter((r) => r.body?.type === 'Message').length === 20 && requests.some((r) => r.body?.type === 'LivechatSession'));

    // Two attempts (retry.attempts), each cut by the daemon (timeoutSeconds), then a dead letter an operator can see.
    await stuck.until((requests) => requests.length === 2 && stuck.hanging === 0);
    expect(new Set(stuck.requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    const mia = await loginAs(d.url, 'mia');
    const failed = await eventually(async () => {
      const reply = await request<{ failed: { webhook: string; attempts: number }[] }>(d.url, 'GET', '/api/v1/admin/webhooks/failed', { headers: { authorization: `Bearer ${mia.token}` } });
      return reply.body.failed.length > 0 ? reply.body.failed : undefined;
    }, 'the dead letter');
    expect(failed).toEqual([expect.objectContaining({ attempts: 2 })]);
    expect(alice.frames.frames.some((f) => f.type === 'error')).toBe(false);
  });
});

describe('a visitor socket that stops reading', () => {
  it('is cut off (1013) while the other chat flows; resuming afterwards delivers every message once, in order', async () => {
    const { d } = await setup({ realtime: { maxBufferedBytes: 64 * 1024 } });
    const alice = track(await agent(d.url, 'alice'));
    const bob = track(await agent(d.url, 'bob'));
    const slow = track(await visitor(d.url, 'Slow', 'sales'));
    const fast = track(await visitor(d.url, 'Fast', 'support'));
    const fastAgent = (await servedBy(d.url, fast)) === 'alice' ? alice : bob;

    const stuck = rawSocket(d.url, '/ws/visitor');
    await stuck.opened;
    stuck.ws.send(JSON.stringify({ type: 'auth', token: slow.client.token }));
    await stuck.frame(1);
    stuck.ws.send(JSON.stringify({ type: 'resume', rid: slow.rid, afterSeq: 0 }));
    stuck.pauseReading();

    // Bob floods the stuck visitor until the daemon gives up on that socket; the other chat goes on meanwhile.
    const big = 'x'.repeat(19_000); // near messageMaxLength: fewer sends fill the kernel's buffers
    const isCut = () => d.logs.some((line) => line.includes('client not reading'));
    let flooded = 0;
    const flood = async () => {
      // 20 sends in flight at a time: the kernel's socket buffers take megabytes before the daemon's queue grows.
      while (flooded < 2_000 && !isCut()) {
        const batch = Array.from({ length: 20 }, (_, i) => `flood ${flooded + i} ${big}`);
        await Promise.all(batch.map((msg) => bob.client.send(slow.rid, msg)));
        flooded += batch.length;
      }
    };
    await Promise.all([flood(), converse(d.url, fast, fastAgent, 10, 'meanwhile')]);
    expect(isCut()).toBe(true);
    stuck.resumeReading();
    expect([CLOSE.tryAgainLater, 1006]).toContain((await stuck.closed).code);

    // The visitor comes back with a fresh client: every message of the room, once, in seq order.
    const back = new RealtimeVisitor({ server: d.url, token: slow.client.token, socket: nodeSocket, backoff: { baseMs: 20, maxMs: 200 } });
    cleanups.push(() => back.disconnect());
    const frames = new Recorder();
    const ready = back.connect();
    back.on(frames.push);
    await ready;
    await frames.next((f) => f.type === 'message' && (f.message as { msg: string }).msg.startsWith(`flood ${flooded - 1} `));
    const stored = (await bob.client.messages(slow.rid)).map((m) => m.seq);
    expect(frames.messages(slow.rid).map((m) => m.seq)).toEqual(stored);
  });
});

describe('an agent whose network vanishes (no FIN)', () => {
  it('is found dead by the heartbeat; after agentGraceSeconds the chat moves on and the visitor is told', async () => {
    const { d } = await setup({ heartbeatMs: 1_000 }); // generous: a starved test process must not look dead
    const proxy = await startBlackholeProxy(d.daemon.addr());
    cleanups.push(() => proxy.close());
    const alice = track(await agent(proxy.url, 'alice'));
    const stranded = track(await visitor(d.url, 'Stranded', 'support'));
    expect(await servedBy(d.url, stranded)).toBe('alice'); // bob is not online yet
    const bob = track(await agent(d.url, 'bob'));
    const other = track(await visitor(d.url, 'Other', 'sales'));
    await converse(d.url, stranded, alice, 2, 'before');
    await converse(d.url, other, bob, 2, 'before');

    proxy.blackhole();
    const strandedRest = new VisitorClient(d.url, stranded.client.token);
    expect((await strandedRest.send(stranded.rid, 'anyone there?')).status).toBe(200);
    const moved = Promise.all([
      proxy.upstreamClosed(), // the daemon terminated alice's socket: no pong
      stranded.frames.next((f) => f.type === 'agent' && (f.agent as { username?: string } | null)?.username === 'bob'),
      bob.frames.next((f) => f.type === 'room.assigned' && f.previousAgent === 'alice' && (f.room as { _id: string })._id === stranded.rid),
    ]);
    await Promise.all([moved, converse(d.url, other, bob, 10, 'meanwhile')]);

    // Alice's client never heard a thing: without a FIN only the server's heartbeat could tell.
    expect(alice.client.channel.state).toBe('open');
    expect((await bob.client.messages(stranded.rid)).map((m) => m.msg)).toContain('anyone there?');
    await bob.client.send(stranded.rid, 'bob here, sorry for the wait');
    await stranded.frames.next((f) => isMessage(f, stranded.rid, 'bob here, sorry for the wait'));
    expect(await servedBy(d.url, stranded)).toBe('bob');
  });
});
