/**
 * The minimal transcript of rocketchat-compat.md §2.6, replayed frame by frame with a raw WebSocket, against a
 * real daemon: the REST calls of the widget, the DDP frames of its SDK, and an agent on /ws/agent playing "bob".
 * Manual routing keeps the room queued while the visitor's subscriptions are live, so agentData arrives over DDP
 * when bob takes the chat, as in the transcript.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VisitorClient } from '../helpers/chat.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';
import { RawDdp, streamArgs } from './ddp-raw-client.js';

describe('DDP /websocket: the spec transcript', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let d: TestDaemon;
  const cleanups: (() => void)[] = [];

  beforeEach(async () => {
    dir = await tempDir();
    d = await startDaemon('ddp/manual.yaml', { DATA_DIR: dir.path });
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    await d.stop();
    await dir.remove();
  });

  it('connect, setUpConnection, six subs with one ready each, typing, messages with $date, agent, close', async () => {
    const bob = await agent(d.url, 'bob');
    cleanups.push(() => bob.client.disconnect());
    const jane = new VisitorClient(d.url);
    const VT = jane.token;

    // [GET /api/v1/livechat/config?token=VT]
    expect((await jane.config()).body).toMatchObject({ success: true, config: { enabled: true } });

    // → WS open /websocket, → connect, ← connected {session}
    const ddp = await RawDdp.open(d.url);
    cleanups.push(() => ddp.close());
    ddp.send({ msg: 'connect', version: '1', support: ['1', 'pre2', 'pre1'] });
    expect(await ddp.take()).toEqual({ msg: 'connected', session: expect.stringMatching(/^\w{17}$/) });

    // → livechat:setUpConnection (before the visitor exists), ← result
    ddp.send({ msg: 'method', method: 'livechat:setUpConnection', params: [{ token: VT }], id: 'ddp-1' });
    expect(await ddp.take()).toEqual({ msg: 'result', id: 'ddp-1' });

    // [POST visitor], [GET room]
    const visitor = (await jane.register({ name: 'Jane', email: 'j@x.io' })).body.visitor;
    const opened = await jane.room();
    expect(opened.body).toMatchObject({ success: true, newRoom: true, room: { t: 'l', open: true, status: 'queued' } });
    const R1 = opened.body.room._id;

    // → six subs, sent back to back as initRoom does; the livechat-room one three times, identical.
    ddp.send({ msg: 'sub', name: 'stream-room-messages', params: [R1, streamArgs(VT)], id: 'ddp-2' });
    ddp.send({ msg: 'sub', name: 'stream-notify-room', params: [`${R1}/typing`, streamArgs(VT)], id: 'ddp-3' });
    ddp.send({ msg: 'sub', name: 'stream-notify-room', params: [`${R1}/deleteMessage`, streamArgs(VT)], id: 'ddp-4' });
    for (const id of ['ddp-5', 'ddp-6', 'ddp-7']) ddp.send({ msg: 'sub', name: 'stream-livechat-room', params: [R1, streamArgs(VT)], id });

    // ← one ready per sub id, each with exactly one id. After each livechat-room ready, livechatd adds the queued
    // room's current spot (the widget's queue handler exists only once its own sub is ready).
    const queueData = { msg: 'changed', collection: 'stream-livechat-room', id: 'id', fields: { eventName: R1, args: [{ type: 'queueData', data: { spot: 1 } }] } };
    expect(await ddp.take()).toEqual({ msg: 'ready', subs: ['ddp-2'] });
    expect(await ddp.take()).toEqual({ msg: 'ready', subs: ['ddp-3'] });
    expect(await ddp.take()).toEqual({ msg: 'ready', subs: ['ddp-4'] });
    for (const id of ['ddp-5', 'ddp-6', 'ddp-7']) {
      expect(await ddp.take()).toEqual({ msg: 'ready', subs: [id] });
      expect(await ddp.take()).toEqual(queueData);
    }

    // → typing method, ← result; the agent hears the visitor typing.
    ddp.send({ msg: 'method', method: 'stream-notify-room', params: [`${R1}/typing`, visitor.username, true, { token: VT }], id: 'ddp-8' });
    expect(await ddp.take()).toEqual({ msg: 'result', id: 'ddp-8' });
    expect(await bob.frames.next((f) => f.type === 'typing')).toMatchObject({ rid: R1, username: visitor.username, typing: true });

    // [POST message "hi"] ← changed stream-room-messages, ts as {$date: ms}
    const hi = (await jane.send(R1, 'hi')).body.message;
    expect(await ddp.take()).toEqual({
      msg: 'changed',
      collection: 'stream-room-messages',
      id: 'id',
      fields: {
        eventName: R1,
        args: [
          expect.objectContaining({
            _id: hi._id,
            rid: R1,
            msg: 'hi',
            ts: { $date: Date.parse(hi.ts) },
            u: { _id: visitor._id, username: visitor.username, name: 'Jane' },
            token: VT,
            alias: 'Jane',
          }),
        ],
      },
    });

    // [GET messages.history] newest first, ISO dates (REST keeps its own shape).
    expect((await jane.history(R1)).body.messages.map((m) => [m.msg, m.ts])).toEqual([['hi', hi.ts]]);

    // bob takes the chat ← agentData
    await bob.client.take(R1);
    expect(await ddp.take()).toEqual({
      msg: 'changed',
      collection: 'stream-livechat-room',
      id: 'id',
      fields: { eventName: R1, args: [{ type: 'agentData', data: { _id: 'bob', username: 'bob', name: 'Bob', status: 'online', emails: [{ address: 'bob@example.com', verified: true }] } }] },
    });

    // bob types, replies, stops typing ← typing [username, bool], message, typing
    bob.client.typing(R1, true);
    expect(await ddp.take()).toEqual({ msg: 'changed', collection: 'stream-notify-room', id: 'id', fields: { eventName: `${R1}/typing`, args: ['bob', true] } });
    const reply = await bob.client.send(R1, 'Hello Jane');
    const M2 = await ddp.take();
    expect(M2).toMatchObject({
      msg: 'changed',
      collection: 'stream-room-messages',
      fields: { eventName: R1, args: [{ _id: reply._id, rid: R1, msg: 'Hello Jane', ts: { $date: expect.any(Number) }, u: { _id: 'bob', username: 'bob', name: 'Bob' } }] },
    });
    expect(M2.fields.args[0].token).toBeUndefined();
    bob.client.typing(R1, false);
    expect(await ddp.take()).toEqual({ msg: 'changed', collection: 'stream-notify-room', id: 'id', fields: { eventName: `${R1}/typing`, args: ['bob', false] } });

    // → ping ← pong (without an id, even when the ping has one)
    ddp.send({ msg: 'ping' });
    expect(await ddp.take()).toEqual({ msg: 'pong' });
    ddp.send({ msg: 'ping', id: 'p1' });
    expect(await ddp.take()).toEqual({ msg: 'pong' });

    // bob closes ← the livechat-close message
    await bob.client.close(R1, 'Thanks!');
    const closing = await ddp.take();
    expect(closing).toMatchObject({
      msg: 'changed',
      collection: 'stream-room-messages',
      fields: { eventName: R1, args: [{ rid: R1, t: 'livechat-close', msg: 'Thanks!', ts: { $date: expect.any(Number) }, u: { _id: 'bob', username: 'bob' } }] },
    });

    // [GET config] without a room → the widget shows "chat finished".
    const after = (await jane.config()).body.config;
    expect(after.room).toBeUndefined();

    // Nothing else was sent: every frame of the socket has been accounted for above.
    expect(await ddp.settle()).toEqual([]);
  });
});
