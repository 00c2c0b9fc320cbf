import { describe, expect, it } from 'vitest';
import { fixtureConfig, harness, openChat } from './harness.js';

describe('round-robin routing', () => {
  it('gives 30 chats to 3 agents in turn, 10 each', async () => {
    const config = await fixtureConfig('three-agents.yaml');
    const { services } = await harness({ ...config, agents: config.agents.map((a) => ({ ...a, maxChats: 0 })) } as typeof config);
    for (const u of ['alice', 'bob', 'carol']) await services.agents.login({ username: u, password: 'pw', ip: '127.0.0.1' });
    const order: (string | undefined)[] = [];
    for (let i = 0; i < 30; i++) order.push((await openChat(services)).servedBy);
    expect(order).toEqual(Array.from({ length: 30 }, (_, i) => ['alice', 'bob', 'carol'][i % 3]));
  });

  it('skips an agent at capacity and keeps the others in turn', async () => {
    const { services } = await harness(await fixtureConfig('three-agents.yaml'));
    for (const u of ['alice', 'bob', 'carol']) await services.agents.login({ username: u, password: 'pw', ip: '127.0.0.1' });
    const order: (string | undefined)[] = [];
    for (let i = 0; i < 9; i++) order.push((await openChat(services)).servedBy);
    expect(order).toEqual(['alice', 'bob', 'carol', 'alice', 'bob', 'carol', 'alice', 'bob', 'alice']);
  });

  it('refuses a chat when no agent is online', async () => {
    const { services } = await harness(await fixtureConfig('three-agents.yaml'));
    await services.agents.login({ username: 'alice', password: 'pw', ip: '127.0.0.1' });
    await services.agents.setStatus('alice', 'away');
    await expect(openChat(services)).rejects.toMatchObject({ code: 'no-agent-online', message: 'Sorry, no online agents' });
  });

  it('queues when everyone online is at capacity, and assigns when a chat closes', async () => {
    const { services, events } = await harness(await fixtureConfig('three-agents.yaml'));
    await services.agents.login({ username: 'carol', password: 'pw', ip: '127.0.0.1' });
    const [first, , third] = [await openChat(services), await openChat(services), await openChat(services)];
    expect(third.servedBy).toBeUndefined();
    expect(services.agents.queue('carol').map((r) => r._id)).toEqual([third.rid]);
    await services.agents.close('carol', { rid: first.rid, comment: 'done' });
    expect(services.agents.queue('carol')).toEqual([]);
    expect(services.agents.rooms('carol').map((r) => r._id)).toContain(third.rid);
    const types = events.filter((e) => 'room' in e && e.room._id === third.rid).map((e) => e.type);
    expect(types).toEqual(['room.opened', 'room.queued', 'room.assigned']);
  });

  it('resumes the cursor after a restart on the same store', async () => {
    const config = await fixtureConfig('three-agents.yaml');
    const first = await harness(config);
    for (const u of ['alice', 'bob']) await first.services.agents.login({ username: u, password: 'pw', ip: '127.0.0.1' });
    expect((await openChat(first.services)).servedBy).toBe('alice');
    const second = await harness(config, first.store);
    expect((await openChat(second.services)).servedBy).toBe('bob');
    expect(second.services.agents.rooms('alice')).toHaveLength(1);
  });
});
