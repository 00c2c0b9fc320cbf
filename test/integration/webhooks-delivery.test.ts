/**
 * Delivery: retries until a 2xx (same webhook-id every time), dead letters when the receiver stays down, listed
 * and redelivered by an operator over the admin API and with `livechatd webhooks`; failed attempts in the logs
 * and the counts in /metrics. Retries are 10 ms apart (the fixture's intervalSeconds), so nothing here sleeps.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createDaemon } from '../../src/daemon/index.js';
import { loginAs, openChat, request, type Reply } from '../helpers/chat.js';
import { runCli } from '../helpers/cli.js';
import { capturedLogger, FIXTURES, startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { eventually, metricValue, schemaErrors, signatureValid, startReceiver, type Receiver } from '../helpers/receiver.js';
import { tempDir } from '../helpers/tmp.js';

const SECRET = 'crm-shared-s3cret';

interface FailedList {
  success: true;
  failed: { id: string; webhook: string; event: string; createdAt: string; failedAt: string; attempts: number; reason: string; lastError?: string }[];
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(answer: number | 'hang' = 200): Promise<{ daemon: TestDaemon; receiver: Receiver; dataDir: string }> {
  const receiver = await startReceiver(answer);
  const dir = await tempDir('livechatd-webhooks-');
  const daemon = await startDaemon('webhooks/payloads.yaml', { DATA_DIR: dir.path, RECEIVER_URL: receiver.url, WEBHOOK_SECRET: SECRET });
  cleanups.push(dir.remove, () => receiver.close(), () => daemon.stop());
  return { daemon, receiver, dataDir: dir.path };
}

/** Opens a chat with alice and closes it: one LivechatSession event. */
async function closeOneChat(url: string): Promise<string> {
  await loginAs(url, 'alice');
  const { visitor, room } = await openChat(url, { name: 'Olga' });
  await visitor.send(room._id, 'hello');
  expect((await visitor.close(room._id)).status).toBe(200);
  return room._id;
}

async function managerToken(url: string): Promise<string> {
  return (await loginAs(url, 'mia')).token!;
}

function failedList(url: string, token: string): Promise<Reply<FailedList>> {
  return request<FailedList>(url, 'GET', '/api/v1/admin/webhooks/failed', { headers: { authorization: `Bearer ${token}` } });
}

/** Log entries (JSON lines) with this message. */
function logEntries(daemon: TestDaemon, msg: string): Record<string, unknown>[] {
  return daemon.logs.map((line) => JSON.parse(line) as Record<string, unknown>).filter((entry) => entry.msg === msg);
}

describe('retries', () => {
  it('a receiver failing twice, then answering 200: one delivery, the same webhook-id on every attempt', async () => {
    const { daemon, receiver } = await setup();
    receiver.answer((r) => (r.n === 1 ? 503 : r.n === 2 ? 302 : 200)); // a redirect is a failure: never followed
    const rid = await closeOneChat(daemon.url);

    const requests = await receiver.received(3);
    expect(requests.map((r) => r.answer)).toEqual([503, 302, 200]);
    expect(new Set(requests.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(requests.map((r) => r.text)).size).toBe(1); // the frozen payload, byte for byte
    for (const r of requests) expect(signatureValid(r, SECRET)).toBe(true);
    expect(requests[2]!.body).toMatchObject({ type: 'LivechatSession', _id: rid });
    expect(schemaErrors(requests[2]!.body)).toEqual([]);

    // Delivered means done: the job leaves the outbox and nothing more is sent.
    await eventually(async () => ((await metricValue(daemon.url, 'livechat_webhook_delivered_total{webhook="crm"}')) === 1 ? true : undefined), 'the delivery to be counted');
    expect(await metricValue(daemon.url, 'livechat_webhook_outbox_depth{webhook="crm"}')).toBe(0);
    expect(await metricValue(daemon.url, 'livechat_webhook_retried_total{webhook="crm"}')).toBe(2);
    expect(await metricValue(daemon.url, 'livechat_webhook_failed_total{webhook="crm"}')).toBe(0);
    expect(receiver.requests).toHaveLength(3);
    expect(receiver.delivered()).toHaveLength(1);
    expect(receiver.requests.some((r) => r.path === '/redirected')).toBe(false);

    const failures = logEntries(daemon, 'webhook delivery attempt failed');
    expect(failures.map((f) => [f.webhook, f.event, f.attempt, f.attempts, f.status])).toEqual([
      ['crm', 'LivechatSession', 1, 3, 503],
      ['crm', 'LivechatSession', 2, 3, 302],
    ]);
    expect(failures[0]!.webhookId).toBe(requests[0]!.headers['webhook-id']);
    expect(daemon.logs.join('')).not.toContain(SECRET);
  });
});

describe('failures other than a status', () => {
  /** A daemon on `fixture`, and one offline message sent: one LivechatOfflineMessage delivery. */
  async function offlineMessageOn(fixture: string, receiverUrl?: string): Promise<TestDaemon> {
    const dir = await tempDir('livechatd-webhooks-');
    const daemon = await startDaemon(fixture, { DATA_DIR: dir.path, ...(receiverUrl !== undefined && { RECEIVER_URL: receiverUrl }) });
    cleanups.push(dir.remove, () => daemon.stop());
    const sent = await request(daemon.url, 'POST', '/api/v1/livechat/offline.message', { body: { name: 'Fay', email: 'fay@example.com', message: 'call me' } });
    expect(sent.status).toBe(200);
    return daemon;
  }

  it('a receiver that hangs past timeoutSeconds: that attempt failed ("timeout"), the retry is delivered', async () => {
    const receiver = await startReceiver((r) => (r.n === 1 ? 'hang' : 200));
    cleanups.push(() => receiver.close());
    const daemon = await offlineMessageOn('webhooks/timeout.yaml', receiver.url);

    const requests = await receiver.until((all) => all.some((r) => r.answer === 200));
    expect(requests.map((r) => r.answer)).toEqual(['hang', 200]);
    expect(requests[0]!.headers['webhook-id']).toBe(requests[1]!.headers['webhook-id']);
    expect(schemaErrors(requests[1]!.body)).toEqual([]);
    const failures = await eventually(async () => {
      const found = logEntries(daemon, 'webhook delivery attempt failed');
      return found.length > 0 ? found : undefined;
    }, 'the failed attempt to be logged');
    expect(failures.map((f) => `${f.attempt} of ${f.attempts}: ${f.error}`)).toEqual(['1 of 3: timeout after 0.2s']);
    await eventually(async () => ((await metricValue(daemon.url, 'livechat_webhook_delivered_total{webhook="crm"}')) === 1 ? true : undefined), 'the delivery to be counted');
    expect(await metricValue(daemon.url, 'livechat_webhook_retried_total{webhook="crm"}')).toBe(1);
  });

  it('a host that does not resolve (.invalid): retried, then a dead letter naming the DNS error', async () => {
    const daemon = await offlineMessageOn('webhooks/unresolvable.yaml');
    const token = await managerToken(daemon.url);
    const list = await eventually(async () => {
      const reply = await failedList(daemon.url, token);
      return reply.body.failed.length > 0 ? reply : undefined;
    }, 'a dead letter');
    // ENOTFOUND from the resolver; EAI_AGAIN where the lookup is refused as temporary.
    expect(list.body.failed).toEqual([
      expect.objectContaining({ webhook: 'crm', event: 'LivechatOfflineMessage', attempts: 2, reason: 'attempts-exhausted', lastError: expect.stringMatching(/^(ENOTFOUND|EAI_AGAIN)$/) }),
    ]);
    const failures = logEntries(daemon, 'webhook delivery attempt failed');
    expect(failures.map((f) => `${f.attempt} of ${f.attempts}`)).toEqual(['1 of 2', '2 of 2']);
    expect(await metricValue(daemon.url, 'livechat_webhook_failed_total{webhook="crm"}')).toBe(1);
  });
});

describe('dead letters', () => {
  it('a receiver down through every attempt: a dead letter, listed without secrets, redelivered by the CLI once it is up', async () => {
    const { daemon, receiver } = await setup();
    await receiver.close(); // down: connections are refused
    await closeOneChat(daemon.url);
    const token = await managerToken(daemon.url);

    const list = await eventually(async () => {
      const reply = await failedList(daemon.url, token);
      return reply.body.failed.length > 0 ? reply : undefined;
    }, 'a dead letter');
    expect(list.status).toBe(200);
    expect(list.body.failed).toEqual([
      {
        id: expect.stringMatching(/^msg_/),
        webhook: 'crm',
        event: 'LivechatSession',
        createdAt: expect.any(String),
        failedAt: expect.any(String),
        attempts: 3,
        reason: 'attempts-exhausted',
        lastError: 'ECONNREFUSED',
      },
    ]);
    const text = JSON.stringify(list.body);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(receiver.url);
    const failures = logEntries(daemon, 'webhook delivery attempt failed');
    expect(failures.map((f) => `${f.attempt} of ${f.attempts}: ${f.error}`)).toEqual(['1 of 3: ECONNREFUSED', '2 of 3: ECONNREFUSED', '3 of 3: ECONNREFUSED']);
    expect(logEntries(daemon, 'webhook delivery failed; kept as a dead letter')).toHaveLength(1);
    expect(await metricValue(daemon.url, 'livechat_webhook_failed_total{webhook="crm"}')).toBe(1);
    expect(await metricValue(daemon.url, 'livechat_webhook_dead_letters{webhook="crm"}')).toBe(1);
    expect(await metricValue(daemon.url, 'livechat_webhook_outbox_depth{webhook="crm"}')).toBe(0);

    const env = { LIVECHAT_PASSWORD: 'pw' };
    const listed = await runCli('livechatd', ['webhooks', 'failed', '--server', daemon.url, '--user', 'mia'], { env });
    expect(listed.code).toBe(0);
    const id = list.body.failed[0]!.id;
    expect(listed.stdout).toMatch(new RegExp(`^${id}\\tcrm\\tLivechatSession\\t\\S+\\t3 attempts\\tECONNREFUSED\\n$`));

    await receiver.listen(); // up again, on the same port
    const redelivered = await runCli('livechatd', ['webhooks', 'redeliver', id, '--server', daemon.url, '--user', 'mia'], { env });
    expect(redelivered.stderr).toBe('');
    expect(redelivered.code).toBe(0);
    expect(redelivered.stdout).toBe(`queued ${id} (LivechatSession → crm)\n`);

    const [delivery] = await receiver.received(1);
    expect(delivery!.headers['webhook-id']).toBe(id);
    expect(signatureValid(delivery!, SECRET)).toBe(true);
    expect(schemaErrors(delivery!.body)).toEqual([]);
    expect((await failedList(daemon.url, token)).body.failed).toEqual([]);
  });

  it('redeliver --all; unknown ids and bad usage fail with one line', async () => {
    const { daemon, receiver } = await setup(500);
    await closeOneChat(daemon.url);
    await request(daemon.url, 'POST', '/api/v1/livechat/offline.message', { body: { name: 'Fay', email: 'fay@example.com', message: 'call me' } });
    const token = await managerToken(daemon.url);
    await eventually(async () => ((await failedList(daemon.url, token)).body.failed.length === 2 ? true : undefined), 'two dead letters');

    const env = { LIVECHAT_PASSWORD: 'pw', LIVECHAT_SERVER: daemon.url, LIVECHAT_USER: 'mia' };
    const unknown = await runCli('livechatd', ['webhooks', 'redeliver', 'msg_nope'], { env });
    expect({ code: unknown.code, stderr: unknown.stderr }).toEqual({ code: 1, stderr: 'livechatd: No dead letter msg_nope\n' });
    const neither = await runCli('livechatd', ['webhooks', 'redeliver'], { env });
    expect({ code: neither.code, stderr: neither.stderr }).toEqual({ code: 1, stderr: 'livechatd: name one dead letter id, or pass --all\n' });

    receiver.answer(200);
    const all = await runCli('livechatd', ['webhooks', 'redeliver', '--all'], { env });
    expect(all.stdout).toBe('queued 2 dead letter(s) for delivery\n');
    expect(all.code).toBe(0);
    await receiver.until(() => receiver.delivered().length === 2);
    expect(receiver.delivered().map((r) => r.body.type).sort()).toEqual(['LivechatOfflineMessage', 'LivechatSession']);
    const none = await runCli('livechatd', ['webhooks', 'failed'], { env });
    expect(none.stdout).toBe('no failed deliveries\n');
  });

  it('the admin API is for managers only', async () => {
    const { daemon } = await setup();
    const alice = await loginAs(daemon.url, 'alice');
    const asAgent = await request(daemon.url, 'GET', '/api/v1/admin/webhooks/failed', { headers: { authorization: `Bearer ${alice.token}` } });
    expect(asAgent.status).toBe(403);
    const anonymous = await request(daemon.url, 'POST', '/api/v1/admin/webhooks/failed/redeliver');
    expect(anonymous.status).toBe(401);
    const token = await managerToken(daemon.url);
    const missing = await request(daemon.url, 'POST', '/api/v1/admin/webhooks/failed/msg_nope/redeliver', { headers: { authorization: `Bearer ${token}` } });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ success: false, errorType: 'not-found' });
  });
});

describe('a webhook removed by a reload', () => {
  it('turns its pending deliveries, running ones included, into dead letters that stay listed', async () => {
    const receiver = await startReceiver('hang');
    const dir = await tempDir('livechatd-webhooks-');
    cleanups.push(dir.remove, () => receiver.close());
    const yaml = await readFile(join(FIXTURES, 'webhooks/payloads.yaml'), 'utf8');
    const path = join(dir.path, 'livechat.yaml');
    await writeFile(path, yaml);
    const env = { DATA_DIR: join(dir.path, 'data'), RECEIVER_URL: receiver.url, WEBHOOK_SECRET: SECRET };
    const loaded = await loadConfig(path, { env });
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const { logger, logs } = capturedLogger('info');
    const daemon = createDaemon({ config: loaded.config, configPath: path, env, watchConfig: false, logger, shutdownGraceMs: 1_000 });
    await daemon.start();
    cleanups.push(() => daemon.stop());
    const url = daemon.addr().url;

    await closeOneChat(url);
    await request(url, 'POST', '/api/v1/livechat/offline.message', { body: { name: 'Fay', email: 'fay@example.com', message: 'call me' } });
    await receiver.received(2); // both deliveries are in progress, hanging

    await writeFile(path, yaml.slice(0, yaml.indexOf('webhooks:')));
    expect(await daemon.reload()).toMatchObject({ outcome: 'applied' });
    const token = await managerToken(url);
    const failed = await eventually(async () => {
      const reply = await failedList(url, token);
      return reply.body.failed.length === 2 ? reply.body.failed : undefined;
    }, 'both deliveries to become dead letters');
    expect(failed.map((f) => [f.webhook, f.reason])).toEqual([
      ['crm', 'webhook-removed'],
      ['crm', 'webhook-removed'],
    ]);
    await receiver.until(() => receiver.hanging === 0); // the hanging attempts were cut

    const refused = await request(url, 'POST', `/api/v1/admin/webhooks/failed/${failed[0]!.id}/redeliver`, { headers: { authorization: `Bearer ${token}` } });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ errorType: 'invalid-params', error: expect.stringContaining('Webhook "crm" is no longer configured') });
  });
});
