/**
 * A whole conversation over HTTP, as the widget and an agent see it: register, open and route a room, talk,
 * read the history, close. Fixture: three agents, no departments, 10 chats each, messages up to 100 characters.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { chatDaemons, ISO_DATE, loginAs, openChat, VisitorClient } from '../helpers/chat.js';

const daemons = chatDaemons();
afterEach(() => daemons.cleanup());

const start = () => daemons.start('no-departments');

describe('a conversation', () => {
  it('registers, routes, talks, returns history newest first, and is closed by the visitor', async () => {
    const { url } = await start();
    const alice = await loginAs(url, 'alice');
    const visitor = new VisitorClient(url);

    const registered = await visitor.register({ name: 'Vera Visitor', email: '  Vera@Example.COM ' });
    expect(registered.status).toBe(200);
    expect(registered.body).toEqual({
      success: true,
      visitor: expect.objectContaining({
        _id: expect.any(String),
        username: 'guest-1',
        token: visitor.token,
        name: 'Vera Visitor',
        visitorEmails: [{ address: 'vera@example.com' }],
        status: 'online',
        ts: expect.stringMatching(ISO_DATE),
      }),
    });
    const visitorId = registered.body.visitor._id;

    const opened = await visitor.room();
    expect(opened.status).toBe(200);
    expect(opened.body).toEqual({
      success: true,
      newRoom: true,
      room: expect.objectContaining({
        _id: expect.any(String),
        t: 'l',
        status: 'served',
        open: true,
        msgs: 0,
        code: 1,
        ts: expect.stringMatching(ISO_DATE),
        servedBy: { _id: 'alice', username: 'alice', ts: expect.stringMatching(ISO_DATE) },
        v: expect.objectContaining({ _id: visitorId, username: 'guest-1', token: visitor.token }),
      }),
    });
    const rid = opened.body.room._id;
    expect(opened.body.room.departmentId).toBeUndefined();

    // Asking again returns the same open room.
    const again = await visitor.room();
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ success: true, newRoom: false, room: { _id: rid, status: 'served', servedBy: { username: 'alice' } } });

    // The widget learns who serves it from config and agent.info.
    const config = await visitor.config();
    expect(config.status).toBe(200);
    expect(config.body.success).toBe(true);
    expect(config.body.config).toMatchObject({
      enabled: true,
      online: true,
      guest: { _id: visitorId, username: 'guest-1', token: visitor.token, name: 'Vera Visitor' },
      room: { _id: rid, open: true, servedBy: { _id: 'alice', username: 'alice' } },
      agent: { _id: 'alice', username: 'alice', name: 'Alice', status: 'available' },
    });
    const info = await visitor.agentInfo(rid);
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({ success: true, agent: { _id: 'alice', username: 'alice', name: 'Alice', status: 'available' } });

    // The agent sees the room, without the visitor's token (the visitor's credential).
    const mine = await alice.rooms();
    expect(mine.status).toBe(200);
    expect(mine.body.success).toBe(true);
    expect(mine.body.rooms.map((r) => [r._id, r.status, r.servedBy?.username])).toEqual([[rid, 'served', 'alice']]);
    expect(JSON.stringify(mine.body)).not.toContain(visitor.token);

    const hello = await visitor.send(rid, 'Hello, I need help');
    expect(hello.status).toBe(200);
    expect(hello.body).toEqual({
      success: true,
      message: expect.objectContaining({
        _id: expect.any(String),
        rid,
        seq: 1,
        msg: 'Hello, I need help',
        ts: expect.stringMatching(ISO_DATE),
        u: { _id: visitorId, username: 'guest-1', name: 'Vera Visitor' },
      }),
    });
    expect(hello.body.message.t).toBeUndefined();

    const seen = await alice.messages(rid);
    expect(seen.status).toBe(200);
    expect(seen.body.messages.map((m) => [m.seq, m.msg, m.u.username])).toEqual([[1, 'Hello, I need help', 'guest-1']]);
    expect(JSON.stringify(seen.body)).not.toContain(visitor.token);

    const reply = await alice.send(rid, 'Hi Vera, how can I help?');
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      success: true,
      message: expect.objectContaining({
        _id: expect.any(String),
        rid,
        seq: 2,
        msg: 'Hi Vera, how can I help?',
        ts: expect.stringMatching(ISO_DATE),
        u: { _id: 'alice', username: 'alice', name: 'Alice' },
      }),
    });

    expect((await visitor.send(rid, 'My order is late')).body.message.seq).toBe(3);

    const history = await visitor.history(rid);
    expect(history.status).toBe(200);
    expect(history.body.success).toBe(true);
    expect(history.body.messages.map((m) => [m.seq, m.msg, m.u.username, m.t])).toEqual([
      [3, 'My order is late', 'guest-1', undefined],
      [2, 'Hi Vera, how can I help?', 'alice', undefined],
      [1, 'Hello, I need help', 'guest-1', undefined],
    ]);
    expect(history.body.messages[1]!._id).toBe(reply.body.message._id);
    const newest = await visitor.history(rid, { limit: 2 });
    expect(newest.body.messages.map((m) => m.seq)).toEqual([3, 2]);

    const closed = await visitor.close(rid);
    expect(closed.status).toBe(200);
    expect(closed.body).toEqual({ success: true, rid, comment: 'Closed by visitor' });

    const after = await visitor.history(rid);
    expect(after.body.messages.map((m) => [m.seq, m.t, m.u.username])).toEqual([
      [4, 'livechat-close', 'guest-1'],
      [3, undefined, 'guest-1'],
      [2, undefined, 'alice'],
      [1, undefined, 'guest-1'],
    ]);
    expect((await alice.rooms()).body.rooms).toEqual([]);
    const configAfter = await visitor.config();
    expect(configAfter.body.config.room).toBeUndefined();

    // The next chat of the same visitor is a new room, and round robin hands it to the next agent.
    const bob = await loginAs(url, 'bob');
    const next = await visitor.room();
    expect(next.body).toMatchObject({ success: true, newRoom: true, room: { code: 2, status: 'served', servedBy: { username: 'bob' } } });
    expect(next.body.room._id).not.toBe(rid);
    expect((await bob.rooms()).body.rooms.map((r) => r._id)).toEqual([next.body.room._id]);
  });

  it('an agent closes with a comment: the visitor sees a livechat-close message and can no longer write', async () => {
    const { url } = await start();
    const alice = await loginAs(url, 'alice');
    const { visitor, room } = await openChat(url, { name: 'Vic' });
    await visitor.send(room._id, 'thanks, that was all');

    const closed = await alice.close(room._id, 'Solved on the phone');
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ success: true, room: { _id: room._id, status: 'closed', open: false, msgs: 2 } });

    const history = await visitor.history(room._id);
    expect(history.body.messages[0]).toMatchObject({ seq: 2, t: 'livechat-close', msg: 'Solved on the phone', u: { _id: 'alice', username: 'alice' } });
    expect((await alice.rooms()).body.rooms).toEqual([]);
    expect((await visitor.config()).body.config.room).toBeUndefined();
  });

  it('a message sent twice with the same id is stored once (visitor _id, agent clientMsgId)', async () => {
    const { url } = await start();
    const alice = await loginAs(url, 'alice');
    const { visitor, room } = await openChat(url);

    const first = await visitor.send(room._id, 'only once', 'ClientMsg234567890');
    const retry = await visitor.send(room._id, 'only once', 'ClientMsg234567890');
    expect(first.status).toBe(200);
    expect(retry.status).toBe(200);
    expect(retry.body.message).toEqual(first.body.message);
    expect(first.body.message._id).toBe('ClientMsg234567890');

    const a = await alice.send(room._id, 'reply once', 'agent-msg-1');
    const b = await alice.send(room._id, 'reply once', 'agent-msg-1');
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body.message).toEqual(a.body.message);

    const all = await alice.messages(room._id);
    expect(all.body.messages.map((m) => [m.seq, m.msg])).toEqual([
      [1, 'only once'],
      [2, 'reply once'],
    ]);
    expect((await visitor.history(room._id)).body.messages.map((m) => m.seq)).toEqual([2, 1]);
  });

  it('agents read a room oldest first, after a seq, at most limit', async () => {
    const { url } = await start();
    const alice = await loginAs(url, 'alice');
    const { visitor, room } = await openChat(url);
    for (const text of ['one', 'two', 'three', 'four', 'five']) {
      expect((await visitor.send(room._id, text)).status).toBe(200);
    }
    const all = await alice.messages(room._id);
    expect(all.status).toBe(200);
    expect(all.body).toEqual({ success: true, messages: expect.any(Array) });
    expect(all.body.messages.map((m) => [m.seq, m.msg])).toEqual([
      [1, 'one'],
      [2, 'two'],
      [3, 'three'],
      [4, 'four'],
      [5, 'five'],
    ]);
    expect((await alice.messages(room._id, { afterSeq: 2 })).body.messages.map((m) => m.seq)).toEqual([3, 4, 5]);
    expect((await alice.messages(room._id, { afterSeq: 1, limit: 2 })).body.messages.map((m) => m.seq)).toEqual([2, 3]);
    expect((await alice.messages(room._id, { afterSeq: 5 })).body.messages).toEqual([]);
  });

  it('custom.fields answers with the capitalised Key and stores visitor and room fields', async () => {
    const { url } = await start();
    await loginAs(url, 'alice');
    const { visitor } = await openChat(url);
    const set = await visitor.customFields([
      { key: 'company', value: 'ACME', overwrite: true },
      { key: 'plan', value: 'Team', overwrite: false },
    ]);
    expect(set.status).toBe(200);
    expect(set.body).toEqual({
      success: true,
      fields: [
        { Key: 'company', value: 'ACME', overwrite: true },
        { Key: 'plan', value: 'Team', overwrite: false },
      ],
    });
    const stored = await visitor.getVisitor();
    expect(stored.body.visitor).toMatchObject({ livechatData: { company: 'ACME' } });
  });
});
