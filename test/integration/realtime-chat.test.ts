import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent, visitor } from '../helpers/realtime.js';
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
});
