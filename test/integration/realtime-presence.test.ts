import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../src/client/index.js';
import { nodeSocket } from '../../src/client/node.js';
import { VisitorClient } from '../../src/client/index.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent, newVisitorToken, Recorder, visitor, within } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';

/** A password login over REST only: a session, but no console connection. */
async function restLogin(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'pw' }) });
  return ((await res.json()) as { token: string }).token;
}

async function directory(url: string, token: string): Promise<Record<string, string>> {
  const res = await fetch(`${url}/api/v1/agent/agents`, { headers: { authorization: `Bearer ${token}` } });
  const { agents } = (await res.json()) as { agents: { username: string; status: string }[] };
  return Object.fromEntries(agents.map((a) => [a.username, a.status]));
}

const agentName = (f: Frame) => (f.agent as { username?: string } | null)?.username;
const readyAgent = (r: Recorder) => agentName(r.frames.find((f) => f.type === 'ready') ?? { type: 'ready', agent: null });

describe('realtime: agent presence and grace period', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let d: TestDaemon;
  beforeEach(async () => {
    dir = await tempDir();
    d = await startDaemon('realtime/two-agents.yaml', { DATA_DIR: dir.path });
  });
  afterEach(async () => {
    await d.stop();
    await dir.remove();
  });

  it('an agent who reconnects within the grace period keeps their chats', async () => {
    const alice = await agent(d.url, 'alice');
    const vera = await visitor(d.url);
    alice.client.disconnect();
    const back = await agent(d.url, 'alice');
    expect((back.ready.rooms as { room: { _id: string } }[]).map((r) => r.room._id)).toEqual([vera.rid]);
    expect(vera.frames.frames.filter((f) => f.type === 'agent' && (f.agent as { username?: string } | null)?.username !== 'alice')).toEqual([]);
    back.client.disconnect();
    vera.client.disconnect();
  });

  it('an agent who stays away past the grace period loses their chats to an available agent; the visitor is told', async () => {
    const alice = await agent(d.url, 'alice');
    const vera = await visitor(d.url);
    const bob = await agent(d.url, 'bob');
    alice.client.disconnect();
    expect(await vera.frames.next((f) => f.type === 'agent' && (f.agent as { username?: string } | null)?.username === 'bob')).toBeTruthy();
    expect(await bob.frames.next((f) => f.type === 'room.assigned' && f.previousAgent === 'alice')).toMatchObject({ room: { _id: vera.rid } });
    bob.client.disconnect();
    vera.client.disconnect();
  });

  it('an agent logged in over REST only, with no console open, loses their chats after the grace period', async () => {
    await restLogin(d.url, 'alice');
    const vera = await visitor(d.url);
    expect(readyAgent(vera.frames)).toBe('alice'); // logged in a moment ago: within grace, so routable
    const bob = await agent(d.url, 'bob');
    await within(vera.frames.next((f) => f.type === 'agent' && agentName(f) === 'bob'), 8_000, 'the chat moves to bob after alice’s grace');
    expect(await directory(d.url, await restLogin(d.url, 'bob'))).toMatchObject({ alice: 'offline', bob: 'available' });
    bob.client.disconnect();
    vera.client.disconnect();
  });

  it('a console connection within the grace period after a REST login cancels it', async () => {
    await restLogin(d.url, 'alice');
    await restLogin(d.url, 'bob'); // logged in after alice: his grace period ends after hers
    const alice = await agent(d.url, 'alice'); // within grace
    const first = await visitor(d.url, 'First');
    const second = await visitor(d.url, 'Second'); // one chat each (maxChatsPerAgent: 1)
    const ofBob = readyAgent(first.frames) === 'bob' ? first : second;
    const ofAlice = ofBob === first ? second : first;
    expect([readyAgent(ofAlice.frames), readyAgent(ofBob.frames)]).toEqual(['alice', 'bob']);
    // bob never opens a console: his chat goes back to the queue (alice is full). Her grace ran out before his.
    await within(ofBob.frames.next((f) => f.type === 'queue'), 8_000, 'bob’s chat is queued after his grace');
    expect(ofAlice.frames.frames.filter((f) => f.type === 'agent' && agentName(f) !== 'alice')).toEqual([]);
    expect(alice.client.channel.state).toBe('open');
    expect(await directory(d.url, await restLogin(d.url, 'boss'))).toMatchObject({ alice: 'available', bob: 'offline' });
    for (const c of [alice.client, first.client, second.client]) c.disconnect();
  });

  it('after a restart, an agent with a stored session but no console loses their chats after the grace period', async () => {
    const alice = await agent(d.url, 'alice');
    const vera = await visitor(d.url);
    alice.client.disconnect();
    vera.client.disconnect();
    await d.stop();
    d = await startDaemon('realtime/two-agents.yaml', { DATA_DIR: dir.path });
    // alice's session survived the restart, but nothing is connected to the new daemon: her grace starts now.
    const bob = await agent(d.url, 'bob');
    const again = new VisitorClient({ server: d.url, token: vera.client.token, socket: nodeSocket });
    const frames = new Recorder();
    const ready = again.connect();
    again.on(frames.push);
    await ready;
    const isBobs = (f: Frame) => (f.type === 'ready' || f.type === 'agent') && agentName(f) === 'bob';
    await within(frames.next(isBobs), 8_000, 'the chat moves to bob after alice’s grace');
    bob.client.disconnect();
    again.disconnect();
  });

  it("a visitor's status follows their /ws/visitor sockets: online with one open, offline when the last closes", async () => {
    const alice = await agent(d.url, 'alice');
    const first = new VisitorClient({ server: d.url, token: newVisitorToken(), socket: nodeSocket });
    await first.register({ name: 'Vera' });
    const { room } = await first.openRoom();
    const statusOf = (f: Frame) => (f.type === 'room.updated' && (f.room as { _id: string })._id === room._id ? (f.room as { v: { status?: string } }).v.status : undefined);
    const statuses = (since = 0) => alice.frames.frames.slice(since).map(statusOf).filter((s) => s !== undefined);
    await first.connect();
    await within(alice.frames.next((f) => statusOf(f) === 'online'), 5_000, 'online with the first socket');
    const second = new VisitorClient({ server: d.url, token: first.token, socket: nodeSocket }); // a second tab
    await second.connect();
    first.disconnect();
    // The second tab is still open: typing through it reaches alice, and nothing said the visitor went offline.
    const since = alice.frames.frames.length;
    second.typing(room._id, true);
    await within(alice.frames.next((f) => f.type === 'typing', since), 5_000, 'typing through the second tab');
    second.disconnect();
    await within(alice.frames.next((f) => statusOf(f) === 'offline', since), 5_000, 'offline once the last socket closed');
    const typingAt = alice.frames.frames.findIndex((f, i) => i >= since && f.type === 'typing');
    expect(alice.frames.frames.findIndex((f, i) => i >= since && statusOf(f) === 'offline')).toBeGreaterThan(typingAt);
    expect(statuses()).toEqual(['online', 'offline']);
    // Back again: online.
    const again = new VisitorClient({ server: d.url, token: first.token, socket: nodeSocket });
    await again.connect();
    await within(alice.frames.next((f) => statusOf(f) === 'online', since), 5_000, 'online again');
    again.disconnect();
    alice.client.disconnect();
  });
});
