import { WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentClient, VisitorClient, type Frame } from '../../src/client/index.js';
import type { SocketFactory, SocketLike } from '../../src/client/socket.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { nodeSocket } from '../../src/client/node.js';
import { agent, newVisitorToken, Recorder, within } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';

/**
 * A socket factory whose sockets the test can cut, like a network that drops. It records every frame the server
 * sent, as received on the wire, before the product client sees it (the client drops seqs it already has, which
 * would hide a duplicate sent by the server).
 */
function droppableSockets(): { factory: SocketFactory; dropLatest: () => void; wire: Recorder } {
  const sockets: WebSocket[] = [];
  const wire = new Recorder();
  return {
    factory: (url) => {
      const ws = new WebSocket(url);
      ws.on('message', (data) => wire.push(JSON.parse(data.toString()) as Frame));
      sockets.push(ws);
      return ws as unknown as SocketLike;
    },
    dropLatest: () => sockets.at(-1)?.terminate(),
    wire,
  };
}

/** Seqs of `rid` as the server sent them, each one as often as it arrived. */
const wireSeqs = (wire: Recorder, rid: string) => wire.messages(rid).map((m) => m.seq);
const readies = (wire: Recorder) => wire.frames.filter((f) => f.type === 'ready').length;

const COUNT = 200;
/** Messages read per page when a resume replays: small, so every replay here spans several pages. */
const PAGE = 64;

describe('realtime: resume after a dropped connection', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let d: TestDaemon;
  beforeEach(async () => {
    dir = await tempDir();
    d = await startDaemon('realtime/two-agents.yaml', { DATA_DIR: dir.path }, { realtime: { replayPageSize: PAGE } });
  });
  afterEach(async () => {
    await d.stop();
    await dir.remove();
  });

  it('a visitor gets all 200 messages sent while its socket was cut, in order, none twice', async () => {
    const alice = await agent(d.url, 'alice');
    const net = droppableSockets();
    const vera = new VisitorClient({ server: d.url, token: newVisitorToken(), socket: net.factory, backoff: { baseMs: 10, maxMs: 50 } });
    await vera.register({ name: 'Vera' });
    const { room } = await vera.openRoom();
    const frames = new Recorder();
    const ready = vera.connect();
    vera.on(frames.push);
    await ready;

    const sends: Promise<unknown>[] = [];
    for (let i = 1; i <= COUNT; i++) {
      sends.push(alice.client.send(room._id, `message ${i}`));
      if (i === 20) net.dropLatest();
    }
    await Promise.all(sends);
    await frames.next((f) => f.type === 'message' && (f.message as { seq: number }).seq === COUNT);
    const all = Array.from({ length: COUNT }, (_, i) => i + 1);
    expect(frames.messages(room._id).map((m) => m.seq)).toEqual(all);
    expect(frames.messages(room._id).at(-1)?.msg).toBe(`message ${COUNT}`);
    expect(wireSeqs(net.wire, room._id)).toEqual(all); // the server itself sent none twice
    expect(readies(net.wire)).toBeGreaterThanOrEqual(2); // it did reconnect
    vera.disconnect();
    alice.client.disconnect();
  });

  it('an agent gets all 200 visitor messages sent while its socket was cut, in order, none twice', async () => {
    const net = droppableSockets();
    const alice = new AgentClient({ server: d.url, socket: net.factory, backoff: { baseMs: 10, maxMs: 50 } });
    await alice.login('alice', 'pw');
    const frames = new Recorder();
    const ready = alice.connect();
    alice.on(frames.push);
    await ready;
    const vera = new VisitorClient({ server: d.url, token: newVisitorToken(), socket: net.factory });
    await vera.register({ name: 'Vera' });
    const { room } = await vera.openRoom();

    for (let i = 1; i <= COUNT; i++) {
      if (i === 50) net.dropLatest();
      await vera.send(room._id, `visitor says ${i}`);
    }
    await frames.next((f) => f.type === 'message' && (f.message as { seq: number }).seq === COUNT);
    const all = Array.from({ length: COUNT }, (_, i) => i + 1);
    expect(frames.messages(room._id).map((m) => m.seq)).toEqual(all);
    expect(wireSeqs(net.wire, room._id)).toEqual(all); // the server itself sent none twice
    expect(readies(net.wire)).toBeGreaterThanOrEqual(2); // it did reconnect
    alice.disconnect();
  });

  it('a visitor and a manager connecting to a room with a long history get all of it, past any one page', async () => {
    // More than the services' default page (1000) as well, which once capped a visitor's replay.
    const TOTAL = 1005;
    const alice = await agent(d.url, 'alice');
    const vera = new VisitorClient({ server: d.url, token: newVisitorToken(), socket: nodeSocket });
    await vera.register({ name: 'Vera' });
    const { room } = await vera.openRoom();
    await Promise.all(Array.from({ length: TOTAL }, (_, i) => alice.client.send(room._id, `history ${i + 1}`)));

    const seen = new Recorder();
    const ready = vera.connect();
    vera.on(seen.push);
    await ready;
    const boss = await agent(d.url, 'boss'); // a manager sees every open room: `ready` lists it, and it is replayed
    await within(seen.next((f) => f.type === 'message' && (f.message as { seq: number }).seq === TOTAL), 10_000, 'the visitor gets the last message');
    await within(boss.frames.next((f) => f.type === 'message' && (f.message as { seq: number }).seq === TOTAL), 10_000, 'the manager gets the last message');
    const all = Array.from({ length: TOTAL }, (_, i) => i + 1);
    expect(seen.messages(room._id).map((m) => m.seq)).toEqual(all);
    expect(boss.frames.messages(room._id).map((m) => m.seq)).toEqual(all);
    for (const c of [vera, alice.client, boss.client]) c.disconnect();
  });
});
