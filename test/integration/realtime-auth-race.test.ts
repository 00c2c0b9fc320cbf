/**
 * A socket that closes while its authentication is still awaiting (the store read of a visitor's room, the queue
 * drain of an agent coming online) must leave nothing counted: the agent's grace period still runs and the
 * visitor still goes offline. The client sends `auth` and drops the connection in the same tick, while the
 * daemon's thread pool is busy with password checks (a login storm): the store work of auth then waits long
 * enough for the close to overtake it, as it does on a loaded server.
 */
import { WebSocket } from 'ws';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Frame } from '../../src/client/index.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent, visitor, within } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';

/** Opens a socket, sends `auth` and cuts the connection at once; resolves when the client side has closed. */
async function authAndDrop(url: string, path: string, token: string): Promise<void> {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + path);
  await new Promise<void>((resolve, reject) => {
    ws.on('open', () => {
      ws.send(JSON.stringify({ type: 'auth', token }));
      ws.terminate();
    });
    ws.on('error', reject);
    ws.on('close', () => resolve());
  });
}

async function loginToken(url: string, username: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: 'pw' }) });
  return ((await res.json()) as { token: string }).token;
}

/**
 * Failed logins for an unknown user, each a full-cost scrypt on libuv's thread pool (which LevelDB shares);
 * resolves when all have been answered. Login-failure limits are off in the fixture.
 */
function loginStorm(url: string, n = 8): Promise<unknown> {
  const attempt = () => fetch(`${url}/api/v1/agent/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'nobody', password: 'x' }) }).then((r) => r.arrayBuffer());
  return Promise.all(Array.from({ length: n }, attempt));
}

const agentName = (f: Frame) => (f.agent as { username?: string } | null)?.username;

describe('realtime: a socket closed during authentication', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  let d: TestDaemon;
  beforeEach(async () => {
    dir = await tempDir();
    d = await startDaemon('realtime/queue-first.yaml', { DATA_DIR: dir.path });
  });
  afterEach(async () => {
    await d.stop();
    await dir.remove();
  });

  it('an agent whose only socket dropped mid-auth still loses their chats after the grace period', async () => {
    const token = await loginToken(d.url, 'alice'); // a second session of hers, for the socket that drops
    const alice = await agent(d.url, 'alice');
    const vera = await visitor(d.url);
    alice.client.disconnect();
    // Past her grace period the chat goes back to the queue (nobody else is online).
    await within(vera.frames.next((f) => f.type === 'queue'), 5_000, 'the chat is queued after alice’s grace');
    // Coming back online drains the queue into alice's hands (a store write) while her socket is already gone.
    const storm = loginStorm(d.url);
    await authAndDrop(d.url, '/ws/agent', token);
    await storm;
    await within(vera.frames.next((f) => f.type === 'agent' && agentName(f) === 'alice', vera.frames.frames.findIndex((f) => f.type === 'queue')), 5_000, 'the queued chat goes back to alice');
    const bob = await agent(d.url, 'bob');
    // alice has no open connection: after another grace period the chat moves to bob.
    await within(vera.frames.next((f) => f.type === 'agent' && agentName(f) === 'bob'), 8_000, 'the chat is re-routed to bob after alice’s grace');
    bob.client.disconnect();
    vera.client.disconnect();
  });

  it('a visitor whose sockets dropped mid-auth goes offline when their last real socket closes', async () => {
    const alice = await agent(d.url, 'alice');
    const vera = await visitor(d.url);
    await alice.frames.next((f) => f.type === 'room.assigned');
    const statusOf = (f: Frame) => f.type === 'room.updated' && (f.room as { _id: string; v: { status?: string } })._id === vera.rid ? (f.room as { v: { status?: string } }).v.status : undefined;
    await within(alice.frames.next((f) => statusOf(f) === 'online'), 5_000, 'vera is online');
    const storm = loginStorm(d.url);
    for (let i = 0; i < 3; i++) await authAndDrop(d.url, '/ws/visitor', vera.client.token);
    await storm;
    const since = alice.frames.frames.length;
    vera.client.disconnect(); // her last real socket
    await within(alice.frames.next((f) => statusOf(f) === 'offline', since), 5_000, 'vera goes offline');
    alice.client.disconnect();
  });
});
