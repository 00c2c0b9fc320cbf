/**
 * With `appearance.showAgentInfo: false` the visitor channel never names the agent: `ready` and every `agent`
 * frame (assignment, transfer, status change) carry `{hiddenInfo: true}` instead (spec §1.3).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent, visitor } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';

describe('realtime: hidden agent info', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let d: TestDaemon;
  beforeEach(async () => {
    dir = await tempDir();
    d = await startDaemon('realtime/hidden-agent.yaml', { DATA_DIR: dir.path });
  });
  afterEach(async () => {
    await d.stop();
    await dir.remove();
  });

  it('sends {hiddenInfo:true} in ready and in agent frames, and nothing that names an agent', async () => {
    const alice = await agent(d.url, 'alice');
    const vera = await visitor(d.url);
    expect(vera.frames.frames.find((f) => f.type === 'ready')).toMatchObject({ agent: { hiddenInfo: true } });
    const bob = await agent(d.url, 'bob');
    await alice.client.transfer(vera.rid, { agent: 'bob' });
    expect(await vera.frames.next((f) => f.type === 'agent')).toEqual({ type: 'agent', rid: vera.rid, agent: { hiddenInfo: true } });
    await bob.client.setStatus('away'); // a status change of the serving agent is an agent frame too
    await bob.client.send(vera.rid, 'hello from nobody in particular'); // a barrier: everything before it has arrived
    await vera.frames.next((f) => f.type === 'message');
    expect(vera.frames.frames.filter((f) => f.type === 'agent').length).toBeGreaterThanOrEqual(2);
    const agentFrames = vera.frames.frames.filter((f) => f.type === 'agent' || f.type === 'ready');
    for (const f of agentFrames) expect(f.agent).toEqual({ hiddenInfo: true });
    const wire = JSON.stringify(agentFrames);
    for (const leak of ['alice', 'bob', 'Alice Agent', 'Bob Agent', 'example.com']) expect(wire).not.toContain(leak);
    for (const c of [alice.client, bob.client, vera.client]) c.disconnect();
  });
});
