/**
 * What a CRM receiver gets, field by field against spec/webhooks.md: `LivechatSession` when a chat ends (closed
 * by the agent, a manager or the visitor) and `LivechatOfflineMessage`, with the Rocket.Chat token header and a
 * Standard Webhooks signature the test verifies. Every payload is also held against schemas/webhooks/.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ISO_DATE, loginAs, request, VisitorClient, type Message, type Room, type Visitor } from '../helpers/chat.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { schemaErrors, signatureValid, startReceiver, type Receiver } from '../helpers/receiver.js';
import { tempDir } from '../helpers/tmp.js';

const SECRET = 'crm-shared-s3cret';
const CHROME_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

let receiver: Receiver;
let daemon: TestDaemon;
let removeDir: () => Promise<void>;

beforeEach(async () => {
  receiver = await startReceiver(200);
  const dir = await tempDir('livechatd-webhooks-');
  removeDir = dir.remove;
  daemon = await startDaemon('webhooks/payloads.yaml', { DATA_DIR: dir.path, RECEIVER_URL: receiver.url, WEBHOOK_SECRET: SECRET });
});

afterEach(async () => {
  await daemon.stop();
  await receiver.close();
  await removeDir();
});

/** A registered visitor (with e-mail, phone, department, a visitor custom field and a browser) in a served room. */
async function servedChat(): Promise<{ visitor: VisitorClient; registered: Visitor; room: Room }> {
  const visitor = new VisitorClient(daemon.url);
  const registered = await request<{ visitor: Visitor }>(daemon.url, 'POST', '/api/v1/livechat/visitor', {
    headers: { 'user-agent': CHROME_ON_LINUX },
    body: {
      visitor: {
        token: visitor.token,
        name: 'Olga Visitor',
        email: 'olga@example.com',
        phone: '+49301234567',
        department: 'sales',
        customFields: [{ key: 'customerId', value: 'C-42', overwrite: true }],
      },
    },
  });
  expect(registered.status).toBe(200);
  const opened = await visitor.room();
  expect(opened.body.room.servedBy?.username).toBe('alice');
  expect((await visitor.customFields([{ key: 'productId', value: 'P-9', overwrite: true }])).status).toBe(200);
  return { visitor, registered: registered.body.visitor, room: opened.body.room };
}

/** The conversation as the visitor's history shows it, oldest first. */
async function historyOf(visitor: VisitorClient, rid: string): Promise<Message[]> {
  return (await visitor.history(rid)).body.messages.reverse();
}

describe('LivechatSession', () => {
  it('closed by the agent: every field of the spec, messages in order with agentId, token header and signature', async () => {
    const alice = await loginAs(daemon.url, 'alice');
    const { visitor, registered, room } = await servedChat();
    await visitor.send(room._id, 'hello, my order is late');
    await alice.send(room._id, 'let me check');
    await visitor.send(room._id, 'thanks!');
    const closed = await alice.close(room._id, 'Solved: shipped today');
    expect(closed.status).toBe(200);
    const messages = await historyOf(visitor, room._id);
    expect(messages.map((m) => m.msg)).toEqual(['hello, my order is late', 'let me check', 'thanks!', 'Solved: shipped today']);

    const [request] = await receiver.received(1);
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe('/hook');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['x-rocketchat-livechat-token']).toBe(SECRET);
    expect(request!.headers['webhook-id']).toMatch(/^msg_[A-Za-z0-9]+$/);
    expect(Number(request!.headers['webhook-timestamp'])).toBeGreaterThan(1_600_000_000);
    expect(signatureValid(request!, SECRET)).toBe(true);
    expect(signatureValid(request!, 'not-the-secret')).toBe(false);

    const [m1, m2, m3, close] = messages as [Message, Message, Message, Message];
    const closedRoom = closed.body.room as Room & { closedAt: string; lm: string };
    expect(request!.body).toStrictEqual({
      type: 'LivechatSession',
      _id: room._id,
      label: 'Olga Visitor',
      code: room.code,
      createdAt: room.ts,
      lastMessageAt: close.ts,
      tags: [],
      customFields: { productId: 'P-9' },
      visitor: {
        _id: registered._id,
        token: visitor.token,
        name: 'Olga Visitor',
        username: registered.username,
        email: 'olga@example.com',
        phone: '+49301234567',
        department: 'sales',
        ip: '127.0.0.1',
        os: 'Linux',
        browser: 'Chrome 120.0.0.0',
        customFields: { customerId: 'C-42' },
      },
      agent: { _id: 'alice', username: 'alice', name: 'Alice Agent', email: 'alice@example.com' },
      messages: [
        { _id: m1._id, username: registered.username, msg: 'hello, my order is late', ts: m1.ts },
        { _id: m2._id, username: 'alice', agentId: 'alice', msg: 'let me check', ts: m2.ts },
        { _id: m3._id, username: registered.username, msg: 'thanks!', ts: m3.ts },
        { _id: close._id, username: 'alice', agentId: 'alice', msg: 'Solved: shipped today', ts: close.ts, closingMessage: true },
      ],
      departmentId: 'sales',
      servedBy: { _id: 'alice', username: 'alice', ts: room.servedBy!.ts },
      closedAt: closedRoom.closedAt,
      closedBy: { _id: 'alice', username: 'alice' },
      closer: 'user',
    });
    expect(closedRoom.closedAt).toMatch(ISO_DATE);
    expect(schemaErrors(request!.body)).toEqual([]);
    // The secret never shows up in the logs.
    expect(daemon.logs.join('')).not.toContain(SECRET);
  });

  it('closed by a manager: closedBy names the manager, the agent stays the one who served', async () => {
    await loginAs(daemon.url, 'alice');
    const mia = await loginAs(daemon.url, 'mia');
    const { room } = await servedChat();
    expect((await mia.close(room._id)).status).toBe(200);
    const [request] = await receiver.received(1);
    expect(request!.body).toMatchObject({ type: 'LivechatSession', closer: 'user', closedBy: { _id: 'mia', username: 'mia' }, agent: { username: 'alice' } });
    expect(request!.body.messages).toEqual([expect.objectContaining({ username: 'mia', agentId: 'mia', closingMessage: true })]);
    expect(schemaErrors(request!.body)).toEqual([]);
  });

  it('closed by the visitor: closer "visitor", the closing message has no agentId', async () => {
    await loginAs(daemon.url, 'alice');
    const { visitor, registered, room } = await servedChat();
    await visitor.send(room._id, 'never mind');
    expect((await visitor.close(room._id)).status).toBe(200);
    const [request] = await receiver.received(1);
    const messages = await historyOf(visitor, room._id);
    expect(request!.body).toMatchObject({ closer: 'visitor', closedBy: { _id: registered._id, username: registered.username } });
    expect(request!.body.messages).toStrictEqual([
      { _id: messages[0]!._id, username: registered.username, msg: 'never mind', ts: messages[0]!.ts },
      { _id: messages[1]!._id, username: registered.username, msg: messages[1]!.msg, ts: messages[1]!.ts, closingMessage: true },
    ]);
    expect(schemaErrors(request!.body)).toEqual([]);
  });

  it('only the session and offline events are sent by default (no Message, Start or Taken)', async () => {
    await loginAs(daemon.url, 'alice');
    const { visitor, room } = await servedChat();
    await visitor.send(room._id, 'hi');
    await visitor.close(room._id);
    await request(daemon.url, 'POST', '/api/v1/livechat/offline.message', { body: { name: 'Fay', email: 'fay@example.com', message: 'x' } });
    const requests = await receiver.received(2);
    expect(requests.map((r) => r.body.type).sort()).toEqual(['LivechatOfflineMessage', 'LivechatSession']);
  });
});

describe('LivechatOfflineMessage', () => {
  it('is exactly the spec shape, with the department the visitor chose', async () => {
    const sent = await request(daemon.url, 'POST', '/api/v1/livechat/offline.message', {
      body: { name: 'Fay Visitor', email: 'fay@example.com', message: 'Please call me back about my order.', department: 'sales' },
    });
    expect(sent.status).toBe(200);
    const [received] = await receiver.received(1);
    expect(received!.body).toStrictEqual({
      type: 'LivechatOfflineMessage',
      sentAt: expect.stringMatching(ISO_DATE),
      visitor: { name: 'Fay Visitor', email: 'fay@example.com' },
      message: 'Please call me back about my order.',
      department: 'sales',
    });
    expect(received!.headers['x-rocketchat-livechat-token']).toBe(SECRET);
    expect(signatureValid(received!, SECRET)).toBe(true);
    expect(schemaErrors(received!.body)).toEqual([]);
  });
});
