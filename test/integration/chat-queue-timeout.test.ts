/**
 * `livechat.queueTimeoutSeconds`: a chat left waiting in the queue is closed by the system — closer `system`, a
 * `livechat-close` message, `room.closed` on the visitor's socket and a `LivechatSession` webhook. The deadline
 * comes from the stored queue time, so it survives a restart, and a reload that changes the timeout applies to
 * chats already waiting. Tests wait for the close itself (the frame, the webhook), never for time to pass.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import { createDaemon, type Daemon } from '../../src/daemon/index.js';
import { silentLogger } from '../../src/telemetry/logger.js';
import { loginAs, VisitorClient } from '../helpers/chat.js';
import { FIXTURES } from '../helpers/daemon.js';
import { visitor } from '../helpers/realtime.js';
import { schemaErrors, startReceiver, type Receiver } from '../helpers/receiver.js';
import { tempDir } from '../helpers/tmp.js';

const COMMENT = 'Closed automatically: no agent was available in time';

let dir: Awaited<ReturnType<typeof tempDir>>;
let receiver: Receiver;
let configPath: string;
const daemons: Daemon[] = [];

beforeEach(async () => {
  dir = await tempDir('livechatd-queue-timeout-');
  receiver = await startReceiver(200);
  configPath = join(dir.path, 'livechat.yaml');
  await withTimeout('0.2');
});

afterEach(async () => {
  for (const daemon of daemons.splice(0)) await daemon.stop();
  await receiver.close();
  await dir.remove();
});

/** Writes the fixture with `queueTimeoutSeconds` set to `seconds`. */
async function withTimeout(seconds: string): Promise<void> {
  const fixture = await readFile(join(FIXTURES, 'chat/queue-timeout.yaml'), 'utf8');
  await writeFile(configPath, fixture.replace('queueTimeoutSeconds: 0.2', `queueTimeoutSeconds: ${seconds}`));
}

async function start(): Promise<{ daemon: Daemon; url: string }> {
  const env = { DATA_DIR: join(dir.path, 'data'), RECEIVER_URL: receiver.url };
  const loaded = await loadConfig(configPath, { env });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  const daemon = createDaemon({ config: loaded.config, configPath, env, logger: silentLogger(), watchConfig: false });
  await daemon.start();
  daemons.push(daemon);
  return { daemon, url: daemon.addr().url };
}

async function sessionOf(rid: string): Promise<any> {
  const requests = await receiver.until((all) => all.some((r) => r.body?._id === rid && r.body?.type === 'LivechatSession'));
  return requests.find((r) => r.body?._id === rid && r.body?.type === 'LivechatSession')!.body;
}

it('closes a chat that waited too long: the visitor is told, LivechatSession names the system', async () => {
  const { url } = await start();
  const vera = await visitor(url, 'Vera Visitor');
  await vera.client.send(vera.rid, 'is anybody there?');
  const frame = await vera.frames.next((f) => f.type === 'room.closed');
  const room = frame.room as { status: string; closer: string; closeComment: string; queuedAt: string; closedAt: string; closedBy: { _id: string } };
  expect(room).toMatchObject({ status: 'closed', closer: 'system', closeComment: COMMENT, closedBy: { _id: '_system' } });
  expect(Date.parse(room.closedAt) - Date.parse(room.queuedAt)).toBeGreaterThanOrEqual(200);

  const session = await sessionOf(vera.rid);
  expect(session).toMatchObject({ closer: 'system', closedBy: { _id: '_system', username: '_system' }, visitor: { name: 'Vera Visitor' } });
  expect(session.agent).toBeUndefined();
  expect(session.messages.map((m: { msg: string; closingMessage?: true }) => [m.msg, m.closingMessage ?? false])).toEqual([
    ['is anybody there?', false],
    [COMMENT, true],
  ]);
  expect(schemaErrors(session)).toEqual([]);

  // The chat is over for the visitor too: a message is refused, a new chat can start.
  expect((await new VisitorClient(url, vera.client.token).send(vera.rid, 'hello?')).status).toBe(400);
  vera.client.disconnect();
});

it('a chat served before its deadline is not closed; a reload shortening the timeout closes only queued ones', async () => {
  await withTimeout('30');
  const { url } = await start();
  const vera = await visitor(url, 'Vera Visitor');
  await loginAs(url, 'alice'); // she comes online and routing gives her the waiting chat: her only slot
  await vera.frames.next((f) => f.type === 'agent');
  // Shorten the timeout far below the time already waited: only queued chats are closed.
  await withTimeout('0.01');
  expect((await daemons[0]!.reload()).outcome).toBe('applied');
  const other = await visitor(url, 'Otto Other'); // queued (alice is full): its close shows the sweep ran
  await sessionOf(other.rid);
  expect(receiver.requests.some((r) => r.body?._id === vera.rid)).toBe(false);
  vera.client.disconnect();
  other.client.disconnect();
});

it('survives a restart: a chat queued before the stop is closed after the start', async () => {
  await withTimeout('0');
  const first = await start();
  const vera = await visitor(first.url, 'Vera Visitor');
  vera.client.disconnect();
  await first.daemon.stop();
  daemons.splice(0);

  await withTimeout('0.2');
  const { url } = await start();
  const session = await sessionOf(vera.rid);
  expect(session.closer).toBe('system');
  const room = (await new VisitorClient(url, vera.client.token).config()).body.config.room;
  expect(room).toBeUndefined(); // no open room for the visitor any more
});

it('a reload that switches the timeout on applies to chats already waiting', async () => {
  await withTimeout('0');
  const { daemon, url } = await start();
  const vera = await visitor(url, 'Vera Visitor');
  await withTimeout('0.05');
  expect((await daemon.reload()).outcome).toBe('applied');
  const frame = await vera.frames.next((f) => f.type === 'room.closed');
  expect((frame.room as { closer: string }).closer).toBe('system');
  expect((await sessionOf(vera.rid)).closer).toBe('system');
  vera.client.disconnect();
});
