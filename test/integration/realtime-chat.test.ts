import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent, rawSocket, visitor } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';

describe('realtime: visitors and agents', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let d: TestDaemon;
  const cleanups: (() => void)[] = [];

  beforeEach(async () => {
    dir = await tempDir();
    d = await startDaemon('realtime/two-agents.yaml', { DATA_DIR: dir.path });
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0)) c();
    await d.stop();
    await dir.remove();
  });

  it('relays messages and typing both ways, each message once with its seq', async () => {
    const alice = await agent(d.url, 'alice');
    const vera = await visitor(d.url);
    cleanups.push(() => alice.client.disconnect(), () => vera.client.disconnect());

    const assigned = await alice.frames.next((f) => f.type === 'room.assigned' && (f.room as { _id: string })._id === vera.rid);
    expect(assigned.room).toMatchObject({ servedBy: { username: 'alice' }, v: { username: expect.stringMatching(/^guest-\d+$/) } });
    expect((assigned.room as { v: Record<string, unknown> }).v.token).toBeUndefined();

    await vera.client.send(vera.rid, 'Hello, is anyone there?');
    const atAgent = await alice.frames.next((f) => f.type === 'message' && f.rid === vera.rid);
    expect(atAgent.message).toMatchObject({ msg: 'Hello, is anyone there?', seq: 1, u: { name: 'Vera Visitor' } });
    expect((atAgent.message as Record<string, unknown>).token).toBeUndefined();

    vera.client.typing(vera.rid, true);
    expect(await alice.frames.next((f) => f.type === 'typing')).toMatchObject({ rid: vera.rid, typing: true, username: expect.stringMatching(/^guest-/) });

    alice.client.typing(vera.rid, true);
    expect(await vera.frames.next((f) => f.type === 'typing')).toMatchObject({ rid: vera.rid, typing: true, username: 'alice', name: 'Alice Agent' });

    const ack = await alice.client.send(vera.rid, 'Hi Vera, how can I help?', 'reply-1');
    expect(ack).toMatchObject({ type: 'ack', clientMsgId: 'reply-1', seq: 2 });
    const again = await alice.client.send(vera.rid, 'Hi Vera, how can I help?', 'reply-1');
    expect(again).toMatchObject({ _id: ack._id, seq: 2 });

    await vera.frames.next((f) => f.type === 'message' && (f.message as { seq: number }).seq === 2);
    expect(vera.frames.messages(vera.rid).map((m) => [m.seq, m.msg])).toEqual([
      [1, 'Hello, is anyone there?'],
      [2, 'Hi Vera, how can I help?'],
    ]);
  });

  it('tells queued visitors their position as agents take chats', async () => {
    const alice = await agent(d.url, 'alice');
    cleanups.push(() => alice.client.disconnect());
    const first = await visitor(d.url, 'First');
    const queued = [await visitor(d.url, 'Second'), await visitor(d.url, 'Third'), await visitor(d.url, 'Fourth')];
    cleanups.push(() => [first, ...queued].forEach((v) => v.client.disconnect()));
    // alice serves one chat at a time: the other three wait, in order.
    const spots = queued.map((v) => (v.frames.frames[0] as { queue?: { spot: number } }).queue?.spot);
    expect(spots).toEqual([1, 2, 3]);

    const bob = await agent(d.url, 'bob'); // bob comes online and gets the head of the queue
    cleanups.push(() => bob.client.disconnect());
    expect(await queued[0]!.frames.next((f) => f.type === 'agent')).toMatchObject({ agent: { username: 'bob' } });
    expect(await queued[1]!.frames.next((f) => f.type === 'queue')).toMatchObject({ spot: 1 });
    expect(await queued[2]!.frames.next((f) => f.type === 'queue')).toMatchObject({ spot: 2 });

    await alice.client.close(first.rid, 'Thanks!');
    expect(await first.frames.next((f) => f.type === 'room.closed')).toMatchObject({ rid: first.rid });
    expect(await queued[1]!.frames.next((f) => f.type === 'agent')).toMatchObject({ agent: { username: 'alice' } });
    const mark = queued[2]!.frames.frames.length;
    expect(await queued[2]!.frames.next((f) => f.type === 'queue', mark)).toMatchObject({ spot: 1 });
  });

  it('a transfer notifies the visitor, the new agent and the previous one', async () => {
    const alice = await agent(d.url, 'alice');
    const vera = await visitor(d.url);
    const bob = await agent(d.url, 'bob');
    cleanups.push(() => [alice, bob].forEach((a) => a.client.disconnect()), () => vera.client.disconnect());
    await alice.frames.next((f) => f.type === 'room.assigned');

    const result = await alice.client.transfer(vera.rid, { agent: 'bob' }, 'Bob knows billing');
    expect(result.room).toMatchObject({ servedBy: { username: 'bob' } });
    expect(await vera.frames.next((f) => f.type === 'agent' && (f.agent as { username: string }).username === 'bob')).toBeTruthy();
    expect(await bob.frames.next((f) => f.type === 'room.assigned' && f.previousAgent === 'alice')).toMatchObject({ room: { _id: vera.rid } });
    expect(await alice.frames.next((f) => f.type === 'room.assigned' && f.previousAgent === 'alice')).toBeTruthy();
    const history = await vera.frames.next((f) => f.type === 'message' && (f.message as { t?: string }).t === 'livechat_transfer_history');
    expect(history.message).toMatchObject({ transferData: { scope: 'agent', comment: 'Bob knows billing', transferredTo: { username: 'bob' } } });
  });

  it('a refused send rejects the sender\'s promise: the error frame carries the clientMsgId', async () => {
    const alice = await agent(d.url, 'alice');
    const vera = await visitor(d.url);
    const bob = await agent(d.url, 'bob');
    cleanups.push(() => [alice, bob].forEach((a) => a.client.disconnect()), () => vera.client.disconnect());
    await expect(bob.client.send(vera.rid, 'not my chat', 'bob-1')).rejects.toMatchObject({ code: 'not-found' });
    expect(alice.frames.messages(vera.rid)).toEqual([]);
  });

  it('a manager sees every open chat', async () => {
    const alice = await agent(d.url, 'alice');
    const vera = await visitor(d.url);
    const boss = await agent(d.url, 'boss');
    cleanups.push(() => [alice, boss].forEach((a) => a.client.disconnect()), () => vera.client.disconnect());
    expect((boss.ready.rooms as { room: { _id: string } }[]).map((r) => r.room._id)).toEqual([vera.rid]);
    await vera.client.send(vera.rid, 'for everyone');
    expect(await boss.frames.next((f) => f.type === 'message')).toMatchObject({ rid: vera.rid, message: { msg: 'for everyone' } });
  });

  describe('visitors sending over their socket', () => {
    // A `send` frame is answered by `ack` once the message is durable; the same clientMsgId (over either path)
    // stores one message; a refused send answers an `error` frame carrying the clientMsgId, and nothing is stored.
    async function servedChat() {
      const alice = await agent(d.url, 'alice');
      const vera = await visitor(d.url);
      await alice.frames.next((f) => f.type === 'room.assigned' && (f.room as { _id: string })._id === vera.rid);
      const v = rawSocket(d.url, '/ws/visitor');
      cleanups.push(() => alice.client.disconnect(), () => vera.client.disconnect(), () => v.ws.close());
      await v.opened;
      v.ws.send(JSON.stringify({ type: 'auth', token: vera.client.token }));
      expect(await v.frame(1)).toMatchObject({ type: 'ready', room: { _id: vera.rid } });
      v.ws.send(JSON.stringify({ type: 'resume', rid: vera.rid, afterSeq: 0 }));
      let read = 1;
      /** The next frame after those already read, skipping the types in `skip`. */
      const next = async (skip: string[] = []) => {
        for (;;) {
          const frame = await v.frame(++read);
          if (!skip.includes(frame.type as string)) return frame;
        }
      };
      return { alice, vera, v, next };
    }

    it('acks a message once it is stored; the agent gets it, the visitor gets its echo; a repeat stores nothing', async () => {
      const { alice, vera, v, next } = await servedChat();
      v.ws.send(JSON.stringify({ type: 'send', rid: vera.rid, msg: 'Hello over the socket', clientMsgId: 'vera-1' }));
      // The echo goes out as the message is published, the ack once its batch resolved.
      expect(await next()).toMatchObject({ type: 'message', rid: vera.rid, message: { _id: 'vera-1', seq: 1, msg: 'Hello over the socket', u: { name: 'Vera Visitor' } } });
      expect(await next()).toEqual({ type: 'ack', clientMsgId: 'vera-1', _id: 'vera-1', seq: 1, rid: vera.rid });
      const atAgent = await alice.frames.next((f) => f.type === 'message' && f.rid === vera.rid);
      expect(atAgent.message).toMatchObject({ _id: 'vera-1', seq: 1, msg: 'Hello over the socket' });
      expect((atAgent.message as Record<string, unknown>).token).toBeUndefined();

      v.ws.send(JSON.stringify({ type: 'send', rid: vera.rid, msg: 'Hello over the socket', clientMsgId: 'vera-1' }));
      expect(await next()).toEqual({ type: 'ack', clientMsgId: 'vera-1', _id: 'vera-1', seq: 1, rid: vera.rid });
      // The same id over REST is the same message too, and a new one takes the next seq.
      const rest = await fetch(`${d.url}/api/v1/livechat/message`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: vera.client.token, rid: vera.rid, msg: 'Hello over the socket', _id: 'vera-1' }),
      });
      expect(await rest.json()).toMatchObject({ success: true, message: { _id: 'vera-1', seq: 1 } });
      v.ws.send(JSON.stringify({ type: 'send', rid: vera.rid, msg: 'Second', clientMsgId: 'vera-2' }));
      expect(await next(['message'])).toEqual({ type: 'ack', clientMsgId: 'vera-2', _id: 'vera-2', seq: 2, rid: vera.rid });
      await alice.frames.next((f) => f.type === 'message' && (f.message as { seq: number }).seq === 2);
      expect(alice.frames.messages(vera.rid).map((m) => [m.seq, m.msg])).toEqual([
        [1, 'Hello over the socket'],
        [2, 'Second'],
      ]);
    });

    it("refuses a send to someone else's room, an over-long message and a send after the close, storing nothing", async () => {
      const { alice, vera, v, next } = await servedChat();
      const other = await visitor(d.url, 'Otto Other');
      cleanups.push(() => other.client.disconnect());

      v.ws.send(JSON.stringify({ type: 'send', rid: other.rid, msg: 'not my room', clientMsgId: 'x-1' }));
      expect(await next()).toEqual({ type: 'error', code: 'invalid-room', message: 'invalid-room', id: 'x-1' });
      v.ws.send(JSON.stringify({ type: 'send', rid: vera.rid, msg: 'a'.repeat(5001), clientMsgId: 'x-2' }));
      expect(await next()).toMatchObject({ type: 'error', code: 'message-length-exceeds-character-limit', id: 'x-2' });

      await alice.client.close(vera.rid, 'Bye');
      expect(await next(['message'])).toMatchObject({ type: 'room.closed', rid: vera.rid });
      v.ws.send(JSON.stringify({ type: 'send', rid: vera.rid, msg: 'too late', clientMsgId: 'x-3' }));
      expect(await next()).toEqual({ type: 'error', code: 'room-closed', message: 'Room closed', id: 'x-3' });

      const history = await fetch(`${d.url}/api/v1/livechat/messages.history/${vera.rid}?token=${vera.client.token}`);
      expect(((await history.json()) as { messages: { t?: string }[] }).messages.map((m) => m.t)).toEqual(['livechat-close']);
      expect(v.ws.readyState).toBe(v.ws.OPEN);
    });

    it("the product's client sends over the socket while it is open, and over REST before it connects", async () => {
      const alice = await agent(d.url, 'alice');
      const vera = await visitor(d.url);
      cleanups.push(() => alice.client.disconnect(), () => vera.client.disconnect());
      // An ack carries the id and seq only; REST answers with the whole message.
      expect(await vera.client.send(vera.rid, 'over the socket', 'c-1')).toEqual({ _id: 'c-1', seq: 1 });
      vera.client.disconnect();
      expect(await vera.client.send(vera.rid, 'over REST', 'c-2')).toMatchObject({ _id: 'c-2', seq: 2, msg: 'over REST' });
      await vera.client.connect();
      expect(await vera.client.send(vera.rid, 'over the socket again', 'c-3')).toEqual({ _id: 'c-3', seq: 3 });
      await alice.frames.next((f) => f.type === 'message' && (f.message as { seq: number }).seq === 3);
      expect(alice.frames.messages(vera.rid).map((m) => m.msg)).toEqual(['over the socket', 'over REST', 'over the socket again']);
    });
  });
});
