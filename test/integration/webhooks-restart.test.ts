/**
 * Pending deliveries survive the daemon: stopped cleanly, or killed with SIGKILL while attempts are in flight,
 * a daemon started again on the same data directory delivers every event, with the same webhook-ids and with
 * the attempts already made counted.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loginAs, openChat, request } from '../helpers/chat.js';
import { collect, spawnCli, waitForLog } from '../helpers/cli.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { eventually, schemaErrors, startReceiver, type Receiver } from '../helpers/receiver.js';
import { tempDir } from '../helpers/tmp.js';

const SECRET = 'crm-shared-s3cret';

const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function receiverAndDir(answer: number | 'hang'): Promise<{ receiver: Receiver; dataDir: string; env: Record<string, string> }> {
  const receiver = await startReceiver(answer);
  const dir = await tempDir('livechatd-webhooks-');
  cleanups.push(dir.remove, () => receiver.close());
  return { receiver, dataDir: dir.path, env: { DATA_DIR: dir.path, RECEIVER_URL: receiver.url, WEBHOOK_SECRET: SECRET } };
}

async function daemonOn(env: Record<string, string>): Promise<TestDaemon> {
  const daemon = await startDaemon('webhooks/payloads.yaml', env);
  cleanups.push(() => daemon.stop());
  return daemon;
}

/** Two chats closed and one offline message: three events for the one webhook. */
async function threeEvents(url: string): Promise<void> {
  await loginAs(url, 'alice');
  for (const name of ['Olga', 'Tom']) {
    const { visitor, room } = await openChat(url, { name });
    await visitor.send(room._id, `hello from ${name}`);
    expect((await visitor.close(room._id)).status).toBe(200);
  }
  const offline = await request(url, 'POST', '/api/v1/livechat/offline.message', { body: { name: 'Fay', email: 'fay@example.com', message: 'call me' } });
  expect(offline.status).toBe(200);
}

const idsOf = (requests: { headers: Record<string, unknown> }[]) => new Set(requests.map((r) => String(r.headers['webhook-id'])));

describe('restart with deliveries pending', () => {
  it('a daemon stopped while attempts hang delivers every event after it starts again', async () => {
    const { receiver, env } = await receiverAndDir('hang');
    const first = await daemonOn(env);
    await threeEvents(first.url);
    const pending = idsOf(await receiver.received(3));
    expect(pending.size).toBe(3);
    await first.stop(); // cuts the hanging attempts; the jobs stay in the outbox

    receiver.answer(200);
    const second = await daemonOn(env);
    await receiver.until(() => receiver.delivered().length === 3);
    expect(idsOf(receiver.delivered())).toEqual(pending);
    expect(receiver.delivered().map((r) => r.body.type).sort()).toEqual(['LivechatOfflineMessage', 'LivechatSession', 'LivechatSession']);
    for (const r of receiver.delivered()) expect(schemaErrors(r.body)).toEqual([]);
    expect(second.logs.join('')).not.toContain(SECRET);
  });

  it('keeps the attempt count: two attempts before the stop leave one after it (3 in all)', async () => {
    const { receiver, env } = await receiverAndDir(503);
    receiver.answer((r) => (r.n === 1 ? 503 : 'hang'));
    const first = await daemonOn(env);
    await loginAs(first.url, 'alice');
    const { visitor, room } = await openChat(first.url, { name: 'Olga' });
    await visitor.close(room._id);
    await receiver.received(2); // attempt 1 failed, attempt 2 is in flight
    await first.stop();

    receiver.answer(503);
    const second = await daemonOn(env);
    const mia = await loginAs(second.url, 'mia');
    const failed = await eventually(async () => {
      const reply = await request<{ failed: { id: string; attempts: number }[] }>(second.url, 'GET', '/api/v1/admin/webhooks/failed', { headers: { authorization: `Bearer ${mia.token}` } });
      return reply.body.failed.length > 0 ? reply.body.failed : undefined;
    }, 'the dead letter');
    expect(failed).toEqual([expect.objectContaining({ attempts: 3 })]);
    expect(receiver.requests).toHaveLength(3);
    expect(idsOf(receiver.requests)).toEqual(new Set([failed[0]!.id]));
    const attempts = second.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((e) => e.msg === 'webhook delivery attempt failed');
    expect(attempts.map((e) => `${e.attempt} of ${e.attempts}`)).toEqual(['3 of 3']);
  });

  it('kill -9 of a daemon process in the middle of attempts: the next process delivers every event', async () => {
    const { receiver, env } = await receiverAndDir('hang');
    const config = ['serve', '--config', 'test/fixtures/webhooks/payloads.yaml'];
    const first = spawnCli('livechatd', config, env);
    const firstDone = collect(first);
    cleanups.push(async () => first.kill('SIGKILL'));
    const { url } = (await waitForLog(first, 'livechatd listening')) as { url: string };
    await threeEvents(url);
    const pending = idsOf(await receiver.received(3));
    first.kill('SIGKILL');
    expect((await firstDone).signal).toBe('SIGKILL');

    receiver.answer(200);
    const second = spawnCli('livechatd', config, env);
    const secondDone = collect(second);
    cleanups.push(async () => second.kill('SIGKILL'));
    await waitForLog(second, 'livechatd listening');
    await receiver.until(() => idsOf(receiver.delivered()).size === 3);
    expect(idsOf(receiver.delivered())).toEqual(pending);
    second.kill('SIGTERM');
    const result = await secondDone;
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(SECRET);
  });
});
