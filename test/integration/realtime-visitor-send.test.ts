/**
 * Visitors sending over `/ws/visitor`: a `send` frame is answered by `ack` once the message is durable, the same
 * clientMsgId (over either path) stores one message, and a refused send answers an `error` frame carrying the
 * clientMsgId while nothing is stored.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent, rawSocket, visitor } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';

describe('realtime: visitors send over their socket', () => {
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
