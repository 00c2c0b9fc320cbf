/**
 * Round-robin routing over HTTP: fairness, capacity, skipping agents who cannot take a chat, the FIFO queue and
 * its draining, and what a visitor sees when nobody is online.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { chatDaemons, expectRcError, loginAs, openChat, servedByOf, VisitorClient, type Room } from '../helpers/chat.js';

const daemons = chatDaemons();
afterEach(() => daemons.cleanup());

/** Opens `n` chats one after the other; returns who got each (or 'queued') and the rooms. */
async function openChats(url: string, n: number): Promise<{ who: string[]; rooms: Room[]; visitors: VisitorClient[] }> {
  const who: string[] = [];
  const rooms: Room[] = [];
  const visitors: VisitorClient[] = [];
  for (let i = 0; i < n; i++) {
    const { visitor, reply, room } = await openChat(url, { name: `Visitor ${i + 1}` });
    expect(reply.status, `chat ${i + 1}: ${JSON.stringify(reply.body)}`).toBe(200);
    expect(reply.body.newRoom).toBe(true);
    who.push(servedByOf(room));
    rooms.push(room);
    visitors.push(visitor);
  }
  return { who, rooms, visitors };
}

const count = (who: string[], name: string) => who.filter((w) => w === name).length;

describe('round robin', () => {
  it('30 chats over 3 agents: each gets 10, in turn, in config order (not login order)', async () => {
    const { url } = await daemons.start('no-departments');
    const carol = await loginAs(url, 'carol');
    const bob = await loginAs(url, 'bob');
    const alice = await loginAs(url, 'alice');

    const { who, rooms } = await openChats(url, 30);
    expect(who).toEqual(Array.from({ length: 30 }, (_, i) => ['alice', 'bob', 'carol'][i % 3]));
    for (const [i, room] of rooms.entries()) {
      expect(room).toMatchObject({ status: 'served', open: true, code: i + 1 });
    }
    const ids = (list: Room[]) => list.map((r) => r._id).sort();
    expect(ids((await alice.rooms()).body.rooms)).toEqual(ids(rooms.filter((_, i) => i % 3 === 0)));
    expect(ids((await bob.rooms()).body.rooms)).toEqual(ids(rooms.filter((_, i) => i % 3 === 1)));
    expect(ids((await carol.rooms()).body.rooms)).toEqual(ids(rooms.filter((_, i) => i % 3 === 2)));
  });

  it('with everyone at livechat.maxChatsPerAgent the next chat is queued, and goes to the first agent who frees up', async () => {
    const { url } = await daemons.start('no-departments');
    const alice = await loginAs(url, 'alice');
    await loginAs(url, 'bob');
    const carol = await loginAs(url, 'carol');
    const { rooms } = await openChats(url, 30); // 10 each: everyone is full

    const waiting = await openChat(url, { name: 'Patient' });
    expect(waiting.reply.status).toBe(200);
    expect(waiting.room).toMatchObject({ status: 'queued', open: true });
    expect(waiting.room.servedBy).toBeUndefined();
    expect((await waiting.visitor.config()).body.config.online).toBe(true);
    expect((await alice.queue()).body.rooms.map((r) => r._id)).toEqual([waiting.room._id]);

    // carol's chat 3 ends: the queued chat goes to her at once.
    const carolsRoom = rooms[2]!;
    expect((await carol.close(carolsRoom._id)).status).toBe(200);
    const now = await waiting.visitor.room();
    expect(now.body).toMatchObject({ newRoom: false, room: { _id: waiting.room._id, status: 'served', servedBy: { _id: 'carol', username: 'carol' } } });
    expect((await alice.queue()).body.rooms).toEqual([]);
    expect((await carol.rooms()).body.rooms.map((r) => r._id)).toContain(waiting.room._id);
  });

  it('one agent at capacity: the others share the rest in turn, and the full agent keeps her place', async () => {
    const { url } = await daemons.start('capacity'); // carol: maxChats 2; no global limit
    await loginAs(url, 'alice');
    await loginAs(url, 'bob');
    const carol = await loginAs(url, 'carol');

    const { who, rooms } = await openChats(url, 30);
    const expected = ['alice', 'bob', 'carol', 'alice', 'bob', 'carol', ...Array.from({ length: 24 }, (_, i) => (i % 2 === 0 ? 'alice' : 'bob'))];
    expect(who).toEqual(expected);
    expect([count(who, 'alice'), count(who, 'bob'), count(who, 'carol')]).toEqual([14, 14, 2]);

    // The last chat went to bob; carol frees a slot and is next in line again, then alice.
    expect((await carol.close(rooms[2]!._id)).status).toBe(200);
    const more = await openChats(url, 3);
    expect(more.who).toEqual(['carol', 'alice', 'bob']);
  });

  it('skips agents who are away or logged out without losing their place', async () => {
    const { url } = await daemons.start('no-departments');
    await loginAs(url, 'alice');
    const bob = await loginAs(url, 'bob');
    const carol = await loginAs(url, 'carol');

    expect((await openChats(url, 1)).who).toEqual(['alice']);
    expect((await bob.setStatus('away')).status).toBe(200);
    expect((await openChats(url, 2)).who).toEqual(['carol', 'alice']);
    expect((await bob.setStatus('available')).status).toBe(200);
    expect((await openChats(url, 1)).who).toEqual(['bob']);
    expect((await carol.logout()).status).toBe(200);
    expect((await openChats(url, 3)).who).toEqual(['alice', 'bob', 'alice']);
  });
});

describe('agent.next', () => {
  it('names the agent round robin would pick next, without taking a turn; {} once the visitor has a room', async () => {
    const { url } = await daemons.start('no-departments');
    await loginAs(url, 'alice');
    await loginAs(url, 'bob');
    expect((await openChats(url, 1)).who).toEqual(['alice']);
    const visitor = new VisitorClient(url);
    await visitor.register();
    const next = await visitor.nextAgent();
    expect(next.status).toBe(200);
    expect(next.body).toMatchObject({ success: true, agent: { _id: 'bob', username: 'bob', name: 'Bob', status: 'available' } });
    expect((await visitor.nextAgent()).body.agent).toMatchObject({ username: 'bob' });
    const opened = await visitor.room();
    expect(servedByOf(opened.body.room)).toBe('bob');
    const after = await visitor.nextAgent();
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ success: true });
  });

  it('agent-not-found when nobody could take a chat', async () => {
    const { url } = await daemons.start('no-departments');
    const visitor = new VisitorClient(url);
    await visitor.register();
    expectRcError(await visitor.nextAgent(), 'agent-not-found');
  });
});

describe('the queue', () => {
  it('queues chats FIFO while nobody online is eligible, and assigns them as agents free up or arrive', async () => {
    const { url } = await daemons.start('capacity'); // carol: maxChats 2
    const carol = await loginAs(url, 'carol');
    const { who, rooms, visitors } = await openChats(url, 5);
    expect(who).toEqual(['carol', 'carol', 'queued', 'queued', 'queued']);
    expect((await carol.queue()).body.rooms.map((r) => r._id)).toEqual([rooms[2]!._id, rooms[3]!._id, rooms[4]!._id]);
    expect((await visitors[2]!.config()).body.config.online).toBe(true);
    // A queued room has no agent yet.
    expectRcError(await visitors[2]!.agentInfo(rooms[2]!._id), 'invalid-agent');
    // The visitor can already write while waiting.
    expect((await visitors[2]!.send(rooms[2]!._id, 'anyone there?')).status).toBe(200);

    // An agent closes a chat: the oldest queued chat is hers.
    expect((await carol.close(rooms[0]!._id)).status).toBe(200);
    expect(servedByOf((await visitors[2]!.room()).body.room)).toBe('carol');
    expect(servedByOf((await visitors[3]!.room()).body.room)).toBe('queued');
    expect((await carol.messages(rooms[2]!._id)).body.messages.map((m) => m.msg)).toEqual(['anyone there?']);

    // A visitor closes a chat: same.
    expect((await visitors[1]!.close(rooms[1]!._id)).status).toBe(200);
    expect(servedByOf((await visitors[3]!.room()).body.room)).toBe('carol');
    expect((await carol.queue()).body.rooms.map((r) => r._id)).toEqual([rooms[4]!._id]);

    // An agent logs in: the last queued chat is hers at once.
    const alice = await loginAs(url, 'alice');
    expect(servedByOf((await visitors[4]!.room()).body.room)).toBe('alice');
    expect((await alice.rooms()).body.rooms.map((r) => r._id)).toEqual([rooms[4]!._id]);
    expect((await carol.queue()).body.rooms).toEqual([]);
  });

  it('an agent coming back from away takes the oldest queued chat', async () => {
    const { url } = await daemons.start('capacity');
    const alice = await loginAs(url, 'alice');
    await loginAs(url, 'carol');
    expect((await alice.setStatus('away')).status).toBe(200);
    const { who, visitors, rooms } = await openChats(url, 4);
    expect(who).toEqual(['carol', 'carol', 'queued', 'queued']);
    expect((await alice.setStatus('available')).status).toBe(200);
    expect(servedByOf((await visitors[2]!.room()).body.room)).toBe('alice');
    expect(servedByOf((await visitors[3]!.room()).body.room)).toBe('alice');
    expect((await alice.rooms()).body.rooms.map((r) => r._id).sort()).toEqual([rooms[2]!._id, rooms[3]!._id].sort());
  });

  it('acceptWithoutAgents: chats queue while nobody is online and are assigned FIFO as agents log in', async () => {
    const { url } = await daemons.start('accept-without-agents'); // 1 chat per agent
    const first = new VisitorClient(url);
    await first.register({ name: 'First' });
    expect((await first.config()).body.config.online).toBe(true);
    const { who, visitors, rooms } = await openChats(url, 2);
    expect(who).toEqual(['queued', 'queued']);

    const alice = await loginAs(url, 'alice');
    expect(servedByOf((await visitors[0]!.room()).body.room)).toBe('alice');
    expect(servedByOf((await visitors[1]!.room()).body.room)).toBe('queued');
    expect((await alice.queue()).body.rooms.map((r) => r._id)).toEqual([rooms[1]!._id]);

    await loginAs(url, 'bob');
    expect(servedByOf((await visitors[1]!.room()).body.room)).toBe('bob');

    const third = await openChats(url, 1);
    expect(third.who).toEqual(['queued']);
    expect((await alice.close(rooms[0]!._id)).status).toBe(200);
    expect(servedByOf((await third.visitors[0]!.room()).body.room)).toBe('alice');
  });
});

describe('nobody online', () => {
  it('config.online is false and opening a room answers "Sorry, no online agents [no-agent-online]"', async () => {
    const { url } = await daemons.start('no-departments');
    const visitor = new VisitorClient(url);
    expect((await visitor.register({ name: 'Too early' })).status).toBe(200);
    expect((await visitor.config()).body.config.online).toBe(false);
    const res = await visitor.room();
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ success: false, error: 'Sorry, no online agents [no-agent-online]', errorType: 'no-agent-online' });
    expect((await visitor.config()).body.config.room).toBeUndefined();

    // Once an agent is online the same visitor gets a room.
    await loginAs(url, 'bob');
    expect((await visitor.config()).body.config.online).toBe(true);
    const opened = await visitor.room();
    expect(opened.body).toMatchObject({ success: true, newRoom: true, room: { servedBy: { username: 'bob' } } });
  });

  it('agents who are away or logged out do not count as online', async () => {
    const { url } = await daemons.start('no-departments');
    const alice = await loginAs(url, 'alice');
    const bob = await loginAs(url, 'bob');
    expect((await alice.setStatus('away')).status).toBe(200);
    expect((await bob.logout()).status).toBe(200);
    const visitor = new VisitorClient(url);
    await visitor.register();
    expect((await visitor.config()).body.config.online).toBe(false);
    expect((await visitor.room()).body).toEqual({ success: false, error: 'Sorry, no online agents [no-agent-online]', errorType: 'no-agent-online' });
  });
});
