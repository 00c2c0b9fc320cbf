import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent, visitor } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';

describe('realtime: agent presence and grace period', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let d: TestDaemon;
  beforeEach(async () => {
    dir = await tempDir();
    d = await startDaemon('realtime/two-agents.yaml', { DATA_DIR: dir.path });
  });
  afterEach(async () => {
    await d.stop();
    await dir.remove();
  });

  it('an agent who reconnects within the grace period keeps their chats', async () => {
    const alice = await agent(d.url, 'alice');
    const vera = await visitor(d.url);
    alice.client.disconnect();
    const back = await agent(d.url, 'alice');
    expect((back.ready.rooms as { room: { _id: string } }[]).map((r) => r.room._id)).toEqual([vera.rid]);
    expect(vera.frames.frames.filter((f) => f.type === 'agent' && (f.agent as { username?: string } | null)?.username !== 'alice')).toEqual([]);
    back.client.disconnect();
    vera.client.disconnect();
  });

  it('an agent who stays away past the grace period loses their chats to an available agent; the visitor is told', async () => {
    const alice = await agent(d.url, 'alice');
    const vera = await visitor(d.url);
    const bob = await agent(d.url, 'bob');
    alice.client.disconnect();
    expect(await vera.frames.next((f) => f.type === 'agent' && (f.agent as { username?: string } | null)?.username === 'bob')).toBeTruthy();
    expect(await bob.frames.next((f) => f.type === 'room.assigned' && f.previousAgent === 'alice')).toMatchObject({ room: { _id: vera.rid } });
    bob.client.disconnect();
    vera.client.disconnect();
  });
});
