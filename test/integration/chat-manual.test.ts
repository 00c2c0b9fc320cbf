/**
 * `livechat.routing: manual`: every chat waits in the queue; agents take chats of their departments, managers any.
 * Fixture: sales [alice (1 chat at most), bob], support [bob, carol], manager lead.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { chatDaemons, expectRefused, expectSameAnswer, ISO_DATE, loginAs, NO_SUCH_ROOM, openChat, servedByOf, VisitorClient } from '../helpers/chat.js';

const daemons = chatDaemons();
afterEach(() => daemons.cleanup());

async function setUp() {
  const { url } = await daemons.start('manual');
  const [lead, alice, bob, carol] = [await loginAs(url, 'lead'), await loginAs(url, 'alice'), await loginAs(url, 'bob'), await loginAs(url, 'carol')];
  const first = await openChat(url, { name: 'First', department: 'sales' });
  const second = await openChat(url, { name: 'Second', department: 'support' });
  const third = await openChat(url, { name: 'Third', department: 'sales' });
  return { url, lead, alice, bob, carol, first, second, third };
}

const ids = (reply: { body: { rooms: { _id: string }[] } }) => reply.body.rooms.map((r) => r._id);

describe('manual routing', () => {
  it('queues every chat even with agents available', async () => {
    const { first, second, third } = await setUp();
    for (const chat of [first, second, third]) {
      expect(chat.reply.status).toBe(200);
      expect(chat.reply.body).toMatchObject({ success: true, newRoom: true, room: { status: 'queued', open: true } });
      expect(chat.room.servedBy).toBeUndefined();
      expect((await chat.visitor.config()).body.config.online).toBe(true);
    }
    expect([first.room.departmentId, second.room.departmentId, third.room.departmentId]).toEqual(['sales', 'support', 'sales']);
  });

  it('each agent sees the queue of their departments, oldest first; a manager sees all of it', async () => {
    const { lead, alice, bob, carol, first, second, third } = await setUp();
    const [r1, r2, r3] = [first.room._id, second.room._id, third.room._id];
    expect(ids(await alice.queue())).toEqual([r1, r3]);
    expect(ids(await carol.queue())).toEqual([r2]);
    expect(ids(await bob.queue())).toEqual([r1, r2, r3]);
    expect(ids(await lead.queue())).toEqual([r1, r2, r3]);
    const queue = await bob.queue();
    expect(queue.status).toBe(200);
    expect(queue.body.success).toBe(true);
    expect(JSON.stringify(queue.body)).not.toContain(first.visitor.token);
    // Nobody serves anything yet.
    for (const agent of [alice, bob, carol]) expect((await agent.rooms()).body.rooms).toEqual([]);
  });

  it('an agent takes a chat from the queue: it is theirs, and leaves everyone\'s queue', async () => {
    const { alice, bob, first, second, third } = await setUp();
    const taken = await alice.take(first.room._id);
    expect(taken.status).toBe(200);
    expect(taken.body).toMatchObject({
      success: true,
      room: { _id: first.room._id, status: 'served', open: true, departmentId: 'sales', servedBy: { _id: 'alice', username: 'alice', ts: expect.stringMatching(ISO_DATE) } },
    });
    expect(servedByOf((await first.visitor.room()).body.room)).toBe('alice');
    expect(ids(await alice.rooms())).toEqual([first.room._id]);
    expect(ids(await bob.queue())).toEqual([second.room._id, third.room._id]);

    // The conversation works as usual.
    expect((await alice.send(first.room._id, 'Hello from Alice')).status).toBe(200);
    expect((await first.visitor.history(first.room._id)).body.messages.map((m) => [m.msg, m.u.username])).toEqual([['Hello from Alice', 'alice']]);
  });

  it('a chat of another department, an already taken chat and a chat beyond capacity cannot be taken', async () => {
    const { alice, bob, first, second, third } = await setUp();
    // support is not alice's department: it reads as missing.
    expectSameAnswer(await alice.take(second.room._id), await alice.take(NO_SUCH_ROOM));
    expect(servedByOf((await second.visitor.room()).body.room)).toBe('queued');

    expect((await alice.take(first.room._id)).status).toBe(200);
    expectRefused(await bob.take(first.room._id));
    expect(servedByOf((await first.visitor.room()).body.room)).toBe('alice');

    // alice serves at most one chat.
    expectRefused(await alice.take(third.room._id));
    expect(servedByOf((await third.visitor.room()).body.room)).toBe('queued');
    expect(ids(await alice.rooms())).toEqual([first.room._id]);
  });

  it('a freed slot does not pull a chat from the queue: the agent takes the next one', async () => {
    const { alice, first, third } = await setUp();
    expect((await alice.take(first.room._id)).status).toBe(200);
    expect((await alice.close(first.room._id)).status).toBe(200);
    expect(servedByOf((await third.visitor.room()).body.room)).toBe('queued');
    expect(ids(await alice.queue())).toEqual([third.room._id]);
    const taken = await alice.take(third.room._id);
    expect(taken.status).toBe(200);
    expect(servedByOf(taken.body.room)).toBe('alice');
  });

  it('a manager takes any chat', async () => {
    const { lead, second } = await setUp();
    const taken = await lead.take(second.room._id);
    expect(taken.status).toBe(200);
    expect(taken.body.room).toMatchObject({ status: 'served', servedBy: { _id: 'lead', username: 'lead' } });
  });

  it('with nobody online a visitor cannot open a chat', async () => {
    const { url } = await daemons.start('manual');
    const visitor = new VisitorClient(url);
    await visitor.register();
    expect((await visitor.config()).body.config.online).toBe(false);
    expect((await visitor.room()).body).toEqual({ success: false, error: 'Sorry, no online agents [no-agent-online]', errorType: 'no-agent-online' });
  });
});
