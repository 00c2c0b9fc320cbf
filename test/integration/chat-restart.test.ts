/**
 * A daemon restarted on the same data directory carries on where it stopped: visitors, open rooms (served and
 * queued), history, counters and the round-robin cursor.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { chatDaemons, loginAs, openChat, request, servedByOf, VisitorClient } from '../helpers/chat.js';

const daemons = chatDaemons();
afterEach(() => daemons.cleanup());

describe('restart on the same data directory', () => {
  it('keeps visitors, open rooms, history and the round-robin cursor', async () => {
    const first = await daemons.start('no-departments');
    for (const name of ['alice', 'bob', 'carol']) await loginAs(first.url, name);
    const one = await openChat(first.url, { name: 'Olga' });
    const two = await openChat(first.url, { name: 'Tom' });
    expect([servedByOf(one.room), servedByOf(two.room)]).toEqual(['alice', 'bob']);
    const alice1 = await loginAs(first.url, 'alice');
    const hello = await one.visitor.send(one.room._id, 'before the restart');
    const reply = await alice1.send(one.room._id, 'noted');
    expect([hello.status, reply.status]).toEqual([200, 200]);
    const visitorBefore = (await one.visitor.getVisitor()).body.visitor;
    const historyBefore = (await one.visitor.history(one.room._id)).body.messages;
    await first.stop();

    const second = await daemons.start('no-departments', first.dataDir);
    const oneAgain = new VisitorClient(second.url, one.visitor.token);

    // The visitor and their open room, still served by alice, with its history.
    const visitorAfter = await oneAgain.getVisitor();
    expect(visitorAfter.status).toBe(200);
    expect(visitorAfter.body.visitor).toEqual(visitorBefore);
    const room = await oneAgain.room();
    expect(room.status).toBe(200);
    expect(room.body).toMatchObject({ newRoom: false, room: { _id: one.room._id, status: 'served', open: true, msgs: 2, code: 1, servedBy: { username: 'alice' } } });
    expect((await oneAgain.history(one.room._id)).body.messages).toEqual(historyBefore);
    expect(historyBefore.map((m) => [m.seq, m.msg])).toEqual([
      [2, 'noted'],
      [1, 'before the restart'],
    ]);

    const alice = await loginAs(second.url, 'alice');
    await loginAs(second.url, 'bob');
    await loginAs(second.url, 'carol');
    expect((await alice.rooms()).body.rooms.map((r) => r._id)).toEqual([one.room._id]);
    expect((await alice.messages(one.room._id)).body.messages.map((m) => m.seq)).toEqual([1, 2]);

    // Seqs continue; the conversation goes on.
    const next = await oneAgain.send(one.room._id, 'after the restart');
    expect(next.body.message.seq).toBe(3);

    // bob got the last chat before the restart: the next ones go to carol, then alice. Counters continue too.
    const three = await openChat(second.url, { name: 'Tia' });
    const four = await openChat(second.url, { name: 'Fay' });
    expect([servedByOf(three.room), servedByOf(four.room)]).toEqual(['carol', 'alice']);
    expect([three.room.code, four.room.code]).toEqual([3, 4]);
    expect((await three.visitor.getVisitor()).body.visitor.username).toBe('guest-3');

    // The closed state survives as well.
    const twoAgain = new VisitorClient(second.url, two.visitor.token);
    expect((await twoAgain.close(two.room._id)).status).toBe(200);
    await second.stop();
    const third = await daemons.start('no-departments', first.dataDir);
    const twoThird = new VisitorClient(third.url, two.visitor.token);
    expect((await twoThird.history(two.room._id)).body.messages.map((m) => m.t)).toEqual(['livechat-close']);
    expect((await twoThird.send(two.room._id, 'hello?')).body).toMatchObject({ success: false, errorType: 'room-closed' });
  });

  it("brings a room up to its last message after a restart: count, last message time, waiting for an answer", async () => {
    const first = await daemons.start('no-departments');
    const alice = await loginAs(first.url, 'alice');
    const chat = await openChat(first.url, { name: 'Wes' });
    const rid = chat.room._id;
    await alice.send(rid, 'hello Wes');
    const last = (await chat.visitor.send(rid, 'my order is late')).body.message;
    const before = (await chat.visitor.room()).body.room;
    expect(before).toMatchObject({ msgs: 2, lm: last.ts, waitingResponse: true });
    await first.stop();

    const second = await daemons.start('no-departments', first.dataDir);
    const again = new VisitorClient(second.url, chat.visitor.token);
    expect((await again.room()).body.room).toMatchObject({ msgs: 2, lm: last.ts, _updatedAt: before._updatedAt, waitingResponse: true });
    const aliceAgain = await loginAs(second.url, 'alice');
    expect((await aliceAgain.send(rid, 'on its way')).body.message.seq).toBe(3);
    expect((await again.room()).body.room).toMatchObject({ msgs: 3, waitingResponse: false });
  });

  it("never reuses the seq of a deleted last message, across a restart", async () => {
    const first = await daemons.start('no-departments');
    await loginAs(first.url, 'alice');
    const chat = await openChat(first.url, { name: 'Dee' });
    const rid = chat.room._id;
    await chat.visitor.send(rid, 'kept', 'keep-1');
    await chat.visitor.send(rid, 'regretted', 'gone-2');
    const deleted = await request(first.url, 'DELETE', '/api/v1/livechat/message/gone-2', { body: { token: chat.visitor.token, rid } });
    expect(deleted.status).toBe(200);
    await first.stop();

    const second = await daemons.start('no-departments', first.dataDir);
    const again = new VisitorClient(second.url, chat.visitor.token);
    expect((await again.send(rid, 'after the restart')).body.message.seq).toBe(3);
    expect((await again.history(rid)).body.messages.map((m) => [m.seq, m.msg])).toEqual([
      [3, 'after the restart'],
      [1, 'kept'],
    ]);
  });

  it('keeps the queue, in order, and a queued chat can be taken after the restart', async () => {
    const first = await daemons.start('manual');
    await loginAs(first.url, 'bob');
    const a = await openChat(first.url, { department: 'sales' });
    const b = await openChat(first.url, { department: 'support' });
    expect([a.room.status, b.room.status]).toEqual(['queued', 'queued']);
    await first.stop();

    const second = await daemons.start('manual', first.dataDir);
    const bob = await loginAs(second.url, 'bob');
    expect((await bob.queue()).body.rooms.map((r) => r._id)).toEqual([a.room._id, b.room._id]);
    const taken = await bob.take(b.room._id);
    expect(taken.status).toBe(200);
    expect(servedByOf(taken.body.room)).toBe('bob');
    expect(servedByOf((await new VisitorClient(second.url, b.visitor.token).room()).body.room)).toBe('bob');
  });
});
