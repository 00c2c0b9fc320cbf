/**
 * What agents and managers may do with rooms over HTTP: agents act on their own rooms only (someone else's room
 * reads as missing), managers on any; transfers to an agent or a department leave a livechat_transfer_history.
 * Fixture: sales [alice, bob (3 chats)], support [carol], manager lead.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { chatDaemons, expectRefused, expectSameAnswer, loginAs, NO_SUCH_ROOM, openChat, servedByOf, type AgentClient } from '../helpers/chat.js';

const daemons = chatDaemons();
afterEach(() => daemons.cleanup());

async function setUp() {
  const { url } = await daemons.start('managers');
  const lead = await loginAs(url, 'lead');
  const alice = await loginAs(url, 'alice');
  const bob = await loginAs(url, 'bob');
  const carol = await loginAs(url, 'carol');
  const one = await openChat(url, { name: 'One' }); // no choice: sales → alice
  const two = await openChat(url, { name: 'Two' }); // sales → bob
  const three = await openChat(url, { name: 'Three', department: 'support' }); // carol
  expect([one, two, three].map((c) => [servedByOf(c.room), c.room.departmentId])).toEqual([
    ['alice', 'sales'],
    ['bob', 'sales'],
    ['carol', 'support'],
  ]);
  return { url, lead, alice, bob, carol, one, two, three };
}

const ids = (reply: { body: { rooms: { _id: string }[] } }) => reply.body.rooms.map((r) => r._id).sort();

describe('agents and their rooms', () => {
  it('each agent lists only the rooms they serve', async () => {
    const { alice, bob, carol, one, two, three } = await setUp();
    expect(ids(await alice.rooms())).toEqual([one.room._id]);
    expect(ids(await bob.rooms())).toEqual([two.room._id]);
    expect(ids(await carol.rooms())).toEqual([three.room._id]);
  });

  it("another agent's room answers like a room that does not exist, and nothing changes", async () => {
    const { alice, bob, one } = await setUp();
    expect((await one.visitor.send(one.room._id, 'for alice only')).status).toBe(200);
    const rid = one.room._id;
    const attempts: [string, (b: AgentClient, r: string) => Promise<{ status: number; body: unknown }>][] = [
      ['messages', (b, r) => b.messages(r)],
      ['send', (b, r) => b.send(r, 'hijack')],
      ['take', (b, r) => b.take(r)],
      ['transfer', (b, r) => b.transfer(r, { agent: 'bob' })],
      ['close', (b, r) => b.close(r)],
    ];
    for (const [name, attempt] of attempts) {
      const actual = await attempt(bob, rid);
      const missing = await attempt(bob, NO_SUCH_ROOM);
      expect({ name, status: actual.status, body: actual.body }).toEqual({ name, status: missing.status, body: missing.body });
      expectRefused(missing as never);
    }
    const now = await one.visitor.room();
    expect(now.body.room).toMatchObject({ _id: rid, open: true, status: 'served', servedBy: { username: 'alice' }, msgs: 1 });
    expect((await alice.messages(rid)).body.messages.map((m) => m.msg)).toEqual(['for alice only']);
  });

  it('a manager lists every open room, queued ones included', async () => {
    const { url, lead, carol, one, two, three } = await setUp();
    expect((await carol.setStatus('away')).status).toBe(200);
    const waiting = await openChat(url, { department: 'support' }); // nobody available in support
    expect(waiting.room.status).toBe('queued');
    expect(ids(await lead.rooms())).toEqual([one.room._id, two.room._id, three.room._id, waiting.room._id].sort());
    expect(ids(await lead.queue())).toEqual([waiting.room._id]);
  });

  it('a manager reads, writes in, transfers and closes any room', async () => {
    const { lead, alice, carol, one, two } = await setUp();
    expect((await one.visitor.send(one.room._id, 'hello')).status).toBe(200);
    expect((await lead.messages(one.room._id)).body.messages.map((m) => m.msg)).toEqual(['hello']);

    const said = await lead.send(one.room._id, 'A manager here');
    expect(said.status).toBe(200);
    expect(said.body.message).toMatchObject({ seq: 2, msg: 'A manager here', u: { _id: 'lead', username: 'lead', name: 'Lee Lead' } });

    const moved = await lead.transfer(one.room._id, { agent: 'carol' });
    expect(moved.status).toBe(200);
    expect(servedByOf(moved.body.room)).toBe('carol');
    expect(ids(await alice.rooms())).toEqual([]);
    expect(ids(await carol.rooms())).toContain(one.room._id);

    const closed = await lead.close(two.room._id, 'closed by the manager');
    expect(closed.status).toBe(200);
    expect(closed.body.room).toMatchObject({ _id: two.room._id, status: 'closed', open: false });
    expect((await two.visitor.history(two.room._id)).body.messages[0]).toMatchObject({ t: 'livechat-close', u: { username: 'lead' } });
  });
});

describe('transfer', () => {
  it('to an agent: the room is theirs, with a livechat_transfer_history message both sides see', async () => {
    const { alice, carol, one } = await setUp();
    expect((await one.visitor.send(one.room._id, 'question')).status).toBe(200);
    const moved = await alice.transfer(one.room._id, { agent: 'carol', comment: 'Carol knows this' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ success: true, room: { _id: one.room._id, status: 'served', open: true, departmentId: 'sales', servedBy: { _id: 'carol', username: 'carol' } } });
    expect(JSON.stringify(moved.body)).not.toContain(one.visitor.token);

    const expected = {
      seq: 2,
      rid: one.room._id,
      t: 'livechat_transfer_history',
      u: { _id: 'alice', username: 'alice' },
      transferData: {
        scope: 'agent',
        comment: 'Carol knows this',
        transferredBy: { _id: 'alice', username: 'alice', type: 'user' },
        transferredTo: { _id: 'carol', username: 'carol', name: 'Carol' },
      },
    };
    const agentSide = (await carol.messages(one.room._id)).body.messages;
    expect(agentSide.map((m) => m.seq)).toEqual([1, 2]);
    expect(agentSide[1]).toMatchObject(expected);
    expect((await one.visitor.history(one.room._id)).body.messages[0]).toMatchObject(expected);

    expect(servedByOf((await one.visitor.room()).body.room)).toBe('carol');
    expect((await one.visitor.agentInfo(one.room._id)).body).toMatchObject({ success: true, agent: { username: 'carol' } });
    expect(ids(await alice.rooms())).toEqual([]);
    expect(ids(await carol.rooms()).includes(one.room._id)).toBe(true);

    // alice has let go of it: the room now reads as missing to her.
    expectSameAnswer(await alice.send(one.room._id, 'still here?'), await alice.send(NO_SUCH_ROOM, 'still here?'));
    expect((await carol.send(one.room._id, 'Carol here')).status).toBe(200);
  });

  it('to a department: the next agent there serves it', async () => {
    const { alice, carol, one } = await setUp();
    const moved = await alice.transfer(one.room._id, { department: 'support', comment: 'wrong desk' });
    expect(moved.status).toBe(200);
    expect(moved.body.room).toMatchObject({ departmentId: 'support', status: 'served', servedBy: { username: 'carol' } });
    const [last] = (await one.visitor.history(one.room._id)).body.messages;
    expect(last).toMatchObject({
      t: 'livechat_transfer_history',
      transferData: {
        scope: 'department',
        comment: 'wrong desk',
        transferredBy: { _id: 'alice', username: 'alice', type: 'user' },
        previousDepartment: 'sales',
        nextDepartment: { _id: 'support', name: 'Support' },
      },
    });
    expect(ids(await carol.rooms()).includes(one.room._id)).toBe(true);
    expect(ids(await alice.rooms())).toEqual([]);
  });

  it('refuses an unknown agent, an agent who is away, an unknown department, both targets or none; nothing changes', async () => {
    const { alice, carol, one } = await setUp();
    expect((await carol.setStatus('away')).status).toBe(200);
    for (const target of [{ agent: 'mallory' }, { agent: 'carol' }, { department: 'nope' }, { agent: 'bob', department: 'sales' }, {}]) {
      const res = await alice.transfer(one.room._id, target);
      expect(res.status, JSON.stringify(target)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(target)).toBeLessThan(500);
      expect(res.body, JSON.stringify(target)).toMatchObject({ success: false });
    }
    expect((await one.visitor.room()).body.room).toMatchObject({ servedBy: { username: 'alice' }, msgs: 0, departmentId: 'sales' });
    expect((await alice.messages(one.room._id)).body.messages).toEqual([]);
  });
});
