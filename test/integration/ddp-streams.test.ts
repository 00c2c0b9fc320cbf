/**
 * What feeds `stream-livechat-room` over DDP (agentData on take and transfer, agentStatus, queueData as the queue
 * moves), and presence: the visitor's status follows the socket that called `livechat:setUpConnection`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VisitorClient } from '../helpers/chat.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';
import { RawDdp, streamArgs } from './ddp-raw-client.js';

describe('DDP /websocket: livechat room stream and presence', () => {
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

  async function watching(visitor: VisitorClient, rid: string): Promise<RawDdp> {
    const ddp = await RawDdp.connect(d.url);
    cleanups.push(() => ddp.close());
    ddp.send({ msg: 'sub', id: 'lr', name: 'stream-livechat-room', params: [rid, streamArgs(visitor.token)] });
    expect(await ddp.take()).toEqual({ msg: 'ready', subs: ['lr'] });
    return ddp;
  }

  const payload = (f: Record<string, any>) => {
    expect(f).toMatchObject({ msg: 'changed', collection: 'stream-livechat-room', id: 'id' });
    return f.fields.args[0];
  };

  it('agentData on take and on transfer, agentStatus of the serving agent only, queueData as the queue moves', async () => {
    const bob = await agent(d.url, 'bob');
    const alice = await agent(d.url, 'alice');
    cleanups.push(() => bob.client.disconnect(), () => alice.client.disconnect());
    const jane = new VisitorClient(d.url);
    const joe = new VisitorClient(d.url);
    const janeRoom = (await jane.start({ name: 'Jane' })).body.room._id;
    const joeRoom = (await joe.start({ name: 'Joe' })).body.room._id;
    const janeDdp = await watching(jane, janeRoom);
    const joeDdp = await watching(joe, joeRoom);
    expect(payload(await janeDdp.take())).toEqual({ type: 'queueData', data: { spot: 1 } });
    expect(payload(await joeDdp.take())).toEqual({ type: 'queueData', data: { spot: 2 } });

    await bob.client.take(janeRoom);
    expect(payload(await janeDdp.take())).toEqual({ type: 'agentData', data: { _id: 'bob', username: 'bob', name: 'Bob', status: 'online', emails: [{ address: 'bob@example.com', verified: true }] } });
    expect(payload(await joeDdp.take())).toEqual({ type: 'queueData', data: { spot: 1 } });

    await bob.client.transfer(janeRoom, { agent: 'alice' });
    expect(payload(await janeDdp.take())).toEqual({ type: 'agentData', data: { _id: 'alice', username: 'alice', name: 'Alice', status: 'online' } });

    await bob.client.setStatus('away'); // bob no longer serves Jane: she hears nothing of it
    await alice.client.setStatus('away');
    expect(payload(await janeDdp.take())).toEqual({ type: 'agentStatus', status: 'away' });
    await alice.client.setStatus('available');
    expect(payload(await janeDdp.take())).toEqual({ type: 'agentStatus', status: 'online' });

    expect(await janeDdp.settle()).toEqual([]);
    expect(await joeDdp.settle()).toEqual([]);
  });

  it("the visitor's status follows the socket that called livechat:setUpConnection", async () => {
    const bob = await agent(d.url, 'bob');
    cleanups.push(() => bob.client.disconnect());
    const jane = new VisitorClient(d.url);
    const rid = (await jane.start({ name: 'Jane' })).body.room._id;
    const status = (since: number) => bob.frames.next((f) => f.type === 'room.updated' && (f.room as { _id: string })._id === rid, since);

    const first = await RawDdp.connect(d.url);
    first.send({ msg: 'method', method: 'livechat:setUpConnection', params: [{ token: jane.token }], id: 'ddp-1' });
    expect(await first.take()).toEqual({ msg: 'result', id: 'ddp-1' });
    // The result and bob's update leave on different sockets: wait for the update before closing.
    await bob.frames.next((f) => f.type === 'room.updated' && (f.room as { _id: string; v: { status: string } }).v.status === 'online' && (f.room as { _id: string })._id === rid);
    let mark = bob.frames.frames.length;
    first.close();
    expect(await status(mark)).toMatchObject({ room: { v: { status: 'offline' } } });

    mark = bob.frames.frames.length;
    const second = await RawDdp.connect(d.url);
    cleanups.push(() => second.close());
    second.send({ msg: 'method', method: 'livechat:setUpConnection', params: [{ token: jane.token }], id: 'ddp-1' });
    expect(await second.take()).toEqual({ msg: 'result', id: 'ddp-1' });
    expect(await status(mark)).toMatchObject({ room: { v: { status: 'online' } } });
    expect((await jane.getVisitor()).body.visitor.status).toBe('online');
  });
});
