/**
 * Two webhooks on the same events, one of them hanging: each event is delivered to each webhook on its own,
 * the hanging one holds no more than its own few delivery slots, and neither the other webhook nor the chat
 * waits for it. Also: the opt-in events, as the second webhook receives them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loginAs, request, VisitorClient } from '../helpers/chat.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { metricValue, schemaErrors, startReceiver, type Received, type Receiver } from '../helpers/receiver.js';
import { tempDir } from '../helpers/tmp.js';

/** Deliveries of one webhook in progress at once (the worker's default). */
const CONCURRENCY = 4;

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(): Promise<{ daemon: TestDaemon; slow: Receiver; fast: Receiver }> {
  const slow = await startReceiver('hang');
  const fast = await startReceiver(200);
  const dir = await tempDir('livechatd-webhooks-');
  const daemon = await startDaemon('webhooks/two-receivers.yaml', { DATA_DIR: dir.path, SLOW_URL: slow.url, FAST_URL: fast.url });
  cleanups.push(dir.remove, () => slow.close(), () => fast.close(), () => daemon.stop());
  return { daemon, slow, fast };
}

const typesOf = (requests: Received[]) => requests.map((r) => String(r.body.type));

describe('a receiver that hangs', () => {
  it('delays neither the other webhook nor the chat', async () => {
    const { daemon, slow, fast } = await setup();
    const alice = await loginAs(daemon.url, 'alice');
    await loginAs(daemon.url, 'bob');
    const visitor = new VisitorClient(daemon.url);
    await visitor.register({ name: 'Olga', department: 'sales' });
    const room = (await visitor.room()).body.room;
    expect(room.servedBy?.username).toBe('alice');

    // Each message is acknowledged while the slow receiver holds every request it got.
    const texts = ['one', 'two', 'three', 'four', 'five', 'six'];
    for (const text of texts) expect((await visitor.send(room._id, text)).status).toBe(200);
    expect((await alice.send(room._id, 'seven, from alice')).status).toBe(200);
    expect((await alice.transfer(room._id, { department: 'support' })).status).toBe(200);
    expect((await visitor.close(room._id)).status).toBe(200);

    const expected = ['LivechatSessionStart', 'LivechatSessionTaken', ...texts.map(() => 'Message'), 'Message', 'LivechatSessionForwarded', 'LivechatSessionTaken', 'LivechatSession'];
    await fast.until((requests) => requests.length === expected.length);
    expect(typesOf(fast.requests).sort()).toEqual([...expected].sort());
    for (const r of fast.requests) expect(schemaErrors(r.body), String(r.body.type)).toEqual([]);

    // The slow webhook got its own deliveries of the same events, as many at once as its slots allow.
    await slow.received(CONCURRENCY);
    expect(slow.requests).toHaveLength(CONCURRENCY);
    expect(slow.hanging).toBe(CONCURRENCY);
    expect(new Set(typesOf(slow.requests))).toEqual(new Set(['Message']));
    const slowIds = new Set(slow.requests.map((r) => r.headers['webhook-id']));
    const fastIds = new Set(fast.requests.map((r) => r.headers['webhook-id']));
    expect([...slowIds].filter((id) => fastIds.has(id))).toEqual([]);
    // Seven messages and the session wait for it: the ones in flight count too.
    expect(await metricValue(daemon.url, 'livechat_webhook_outbox_depth{webhook="slow"}')).toBe(8);
  });

  it('sends the opt-in events with their extra fields', async () => {
    const { daemon, fast } = await setup();
    const alice = await loginAs(daemon.url, 'alice');
    await loginAs(daemon.url, 'bob');
    const visitor = new VisitorClient(daemon.url);
    await visitor.register({ name: 'Olga', department: 'sales' });
    const room = (await visitor.room()).body.room;
    const hello = (await visitor.send(room._id, 'hello')).body.message;
    await fast.until((requests) => typesOf(requests).includes('Message'));
    await alice.transfer(room._id, { department: 'support' });
    await fast.until((requests) => typesOf(requests).includes('LivechatSessionForwarded'));
    await request(daemon.url, 'POST', '/api/v1/livechat/offline.message', { body: { name: 'Fay', email: 'fay@example.com', message: 'hi' } });
    await fast.until((requests) => typesOf(requests).includes('LivechatOfflineMessage'));

    const byType = (type: string) => fast.requests.filter((r) => r.body.type === type).map((r) => r.body);
    expect(byType('LivechatSessionStart')).toEqual([expect.objectContaining({ _id: room._id, departmentId: 'sales', messages: [] })]);
    expect(byType('LivechatSessionStart')[0]).not.toHaveProperty('agent');
    expect(byType('Message')).toEqual([
      expect.objectContaining({ _id: room._id, messages: [{ _id: hello._id, username: hello.u.username, msg: 'hello', ts: hello.ts, token: visitor.token }] }),
    ]);
    expect(byType('LivechatSessionForwarded')).toEqual([
      expect.objectContaining({
        departmentId: 'support',
        oldDepartmentId: 'sales',
        servedBy: expect.objectContaining({ username: 'bob' }),
        oldServedBy: { _id: 'alice', username: 'alice' },
        agent: { _id: 'bob', username: 'bob', name: 'Bob Agent', email: null },
        messages: [expect.objectContaining({ msg: 'hello' })], // the transfer record is a system message: not sent
      }),
    ]);
    expect(byType('LivechatSessionTaken').map((p) => p.servedBy.username)).toEqual(['alice', 'bob']);
  });
});
