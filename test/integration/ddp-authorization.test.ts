/**
 * Who may read what on /websocket: a visitor's token opens only their own room's streams. Another visitor who
 * knows the room id gets `nosub` for every stream, and nothing of that room reaches their socket, not even
 * through their own, legitimate subscriptions.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VisitorClient } from '../helpers/chat.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';
import { RawDdp, streamArgs } from './ddp-raw-client.js';

const NOT_ALLOWED = { isClientSafe: true, error: 'not-allowed', reason: 'Not allowed', message: 'Not allowed [not-allowed]', errorType: 'Meteor.Error' };

describe('DDP /websocket: authorization', () => {
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

  /** The widget's six subs for `rid`, with `token` in the args; resolves with the answer to each, in order. */
  async function subscribeAll(ddp: RawDdp, rid: string, token: string, prefix: string) {
    const subs: [string, string][] = [
      ['stream-room-messages', rid],
      ['stream-notify-room', `${rid}/typing`],
      ['stream-notify-room', `${rid}/deleteMessage`],
      ['stream-livechat-room', rid],
      ['stream-livechat-room', rid],
      ['stream-livechat-room', rid],
    ];
    subs.forEach(([name, eventName], i) => ddp.send({ msg: 'sub', id: `${prefix}${i}`, name, params: [eventName, streamArgs(token)] }));
    const answers = [];
    for (const [i] of subs.entries()) answers.push(await ddp.next((f) => (f.msg === 'ready' && f.subs[0] === `${prefix}${i}`) || (f.msg === 'nosub' && f.id === `${prefix}${i}`)));
    return answers;
  }

  it("a visitor's subscription to another visitor's room gets nothing", async () => {
    const bob = await agent(d.url, 'bob');
    cleanups.push(() => bob.client.disconnect());
    const jane = new VisitorClient(d.url);
    const mallory = new VisitorClient(d.url);
    const janeRoom = (await jane.start({ name: 'Jane' })).body.room._id;
    const malloryRoom = (await mallory.start({ name: 'Mallory' })).body.room._id;

    const janeDdp = await RawDdp.connect(d.url);
    const malloryDdp = await RawDdp.connect(d.url);
    cleanups.push(() => janeDdp.close(), () => malloryDdp.close());

    // Mallory knows Jane's room id: with her own token, with none, with Jane's rid in her own args shape.
    expect((await subscribeAll(malloryDdp, janeRoom, mallory.token, 'x')).map((f) => f.msg)).toEqual(Array(6).fill('nosub'));
    for (const f of malloryDdp.frames.filter((f) => f.msg === 'nosub')) expect(f.error).toEqual(NOT_ALLOWED);
    malloryDdp.send({ msg: 'sub', id: 'bare', name: 'stream-room-messages', params: [janeRoom, { useCollection: false, args: [{}] }] });
    expect(await malloryDdp.next((f) => f.id === 'bare')).toEqual({ msg: 'nosub', id: 'bare', error: NOT_ALLOWED });
    // Her own room's subs are fine: only Jane's room is closed to her.
    expect((await subscribeAll(malloryDdp, malloryRoom, mallory.token, 'own')).map((f) => f.msg)).toEqual(Array(6).fill('ready'));
    // Pretending to type in Jane's room is refused, and bob hears nothing.
    malloryDdp.send({ msg: 'method', method: 'stream-notify-room', params: [`${janeRoom}/typing`, 'guest-1', true, { token: mallory.token }], id: 't1' });
    expect(await malloryDdp.next((f) => f.id === 't1')).toEqual({ msg: 'result', id: 't1', error: NOT_ALLOWED });

    expect((await subscribeAll(janeDdp, janeRoom, jane.token, 'j')).map((f) => f.msg)).toEqual(Array(6).fill('ready'));

    // Everything that happens in Jane's room: her message, bob taking it, typing, replying, closing.
    await jane.send(janeRoom, 'my secret order number');
    await bob.client.take(janeRoom);
    bob.client.typing(janeRoom, true);
    await bob.client.send(janeRoom, 'Hello Jane');
    await bob.client.close(janeRoom, 'Bye');
    await janeDdp.next((f) => f.fields?.args?.[0]?.t === 'livechat-close');
    expect(janeDdp.frames.filter((f) => f.msg === 'changed').map((f) => f.collection)).toEqual([
      'stream-livechat-room', // queueData after each of the three livechat-room readies
      'stream-livechat-room',
      'stream-livechat-room',
      'stream-room-messages',
      'stream-livechat-room',
      'stream-notify-room',
      'stream-room-messages',
      'stream-room-messages',
    ]);

    // Mallory's socket got her own room's queue spot (2nd in line, then 1st once Jane's chat was taken) and no
    // frame that names Jane's room.
    const seen = await malloryDdp.settle();
    expect(JSON.stringify(seen)).not.toContain(janeRoom);
    expect(JSON.stringify(seen)).not.toContain('my secret order number');
    expect(seen.filter((f) => f.msg === 'changed').map((f) => [f.fields.eventName, f.fields.args[0].data])).toEqual([
      [malloryRoom, { spot: 2 }],
      [malloryRoom, { spot: 2 }],
      [malloryRoom, { spot: 2 }],
      [malloryRoom, { spot: 1 }],
    ]);
    expect(bob.frames.frames.filter((f) => f.type === 'typing')).toEqual([]);
  });
});
