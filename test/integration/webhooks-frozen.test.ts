/**
 * A `LivechatSession` delivery carries the chat as it was when it ended, even when the receiver is reached only
 * after the visitor removed their data (`DELETE visitor/:token`): the payload is written complete in the close's
 * batch, not rebuilt from the store at the first attempt.
 *
 * The receiver is "backed up": four offline-message deliveries hang and hold every delivery slot of the webhook
 * (the daemon runs four per webhook), so the session job cannot start before the visitor's data is gone.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loginAs, request, VisitorClient, type Message } from '../helpers/chat.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { schemaErrors, startReceiver, type Receiver } from '../helpers/receiver.js';
import { tempDir } from '../helpers/tmp.js';

const SLOTS = 4;

let receiver: Receiver;
let daemon: TestDaemon;
let removeDir: () => Promise<void>;
let backedUp = true;

beforeEach(async () => {
  backedUp = true;
  receiver = await startReceiver((r) => (backedUp && r.body?.type === 'LivechatOfflineMessage' ? 'hang' : 200));
  const dir = await tempDir('livechatd-webhooks-frozen-');
  removeDir = dir.remove;
  daemon = await startDaemon('webhooks/backlog.yaml', { DATA_DIR: dir.path, RECEIVER_URL: receiver.url, WEBHOOK_SECRET: 'frozen-s3cret' });
});

afterEach(async () => {
  await daemon.stop();
  await receiver.close();
  await removeDir();
});

it('close, then DELETE visitor while the receiver is backed up: the session still has every message and the visitor fields', async () => {
  for (let i = 0; i < SLOTS; i++) {
    const sent = await request(daemon.url, 'POST', '/api/v1/livechat/offline.message', { body: { name: `Fay ${i}`, email: 'fay@example.com', message: 'x' } });
    expect(sent.status).toBe(200);
  }
  await receiver.until((requests) => requests.filter((r) => r.answer === 'hang').length >= SLOTS);

  const alice = await loginAs(daemon.url, 'alice');
  const visitor = new VisitorClient(daemon.url);
  const registered = await visitor.register({ name: 'Olga Visitor', email: 'olga@example.com', phone: '+49301234567', customFields: [{ key: 'customerId', value: 'C-42', overwrite: true }] });
  expect(registered.status).toBe(200);
  const { room } = (await visitor.room()).body;
  expect((await visitor.customFields([{ key: 'productId', value: 'P-9', overwrite: true }])).status).toBe(200);
  expect((await visitor.send(room._id, 'where is my parcel?')).status).toBe(200);
  expect((await alice.send(room._id, 'on its way')).status).toBe(200);
  expect((await alice.close(room._id, 'Shipped')).status).toBe(200);
  const messages: Message[] = (await visitor.history(room._id)).body.messages.reverse();
  expect(messages.map((m) => m.msg)).toEqual(['where is my parcel?', 'on its way', 'Shipped']);

  expect((await visitor.deleteVisitor()).status).toBe(200);
  expect((await visitor.getVisitor()).status).toBe(400); // the data really is gone
  expect(receiver.requests.some((r) => r.body?.type === 'LivechatSession')).toBe(false);

  // The receiver recovers: the hanging requests are cut (those attempts fail and are retried) and it answers 200.
  backedUp = false;
  await receiver.close();
  await receiver.listen();
  const requests = await receiver.until((all) => all.some((r) => r.body?.type === 'LivechatSession' && r.answer === 200));
  const session = requests.find((r) => r.body?.type === 'LivechatSession' && r.answer === 200)!.body;

  const [m1, m2, close] = messages as [Message, Message, Message];
  const username = registered.body.visitor.username;
  expect(session).toMatchObject({
    _id: room._id,
    label: 'Olga Visitor',
    customFields: { productId: 'P-9' },
    visitor: {
      _id: registered.body.visitor._id,
      name: 'Olga Visitor',
      username,
      email: 'olga@example.com',
      phone: '+49301234567',
      ip: '127.0.0.1',
      customFields: { customerId: 'C-42' },
    },
    agent: { username: 'alice', name: 'Alice Agent', email: 'alice@example.com' },
    closer: 'user',
  });
  expect(session.messages).toStrictEqual([
    { _id: m1._id, username, msg: 'where is my parcel?', ts: m1.ts },
    { _id: m2._id, username: 'alice', agentId: 'alice', msg: 'on its way', ts: m2.ts },
    { _id: close._id, username: 'alice', agentId: 'alice', msg: 'Shipped', ts: close.ts, closingMessage: true },
  ]);
  expect(schemaErrors(session)).toEqual([]);
});
