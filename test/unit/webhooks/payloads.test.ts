/**
 * Payload building, field by field against spec/webhooks.md, and against the JSON Schemas in schemas/webhooks/.
 */
import { describe, expect, it } from 'vitest';
import type { OfflineMessage } from '../../../src/domain/events.js';
import type { Message } from '../../../src/domain/message.js';
import type { Room } from '../../../src/domain/room.js';
import type { Visitor } from '../../../src/domain/visitor.js';
import type { RoomSource } from '../../../src/webhooks/jobs.js';
import { offlinePayload, roomPayload } from '../../../src/webhooks/payloads.js';
import { schemaErrors } from '../../helpers/receiver.js';

const CHROME_ON_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

const visitor: Visitor = {
  _id: 'V1',
  username: 'guest-7',
  token: 'visitor-token-0000000001',
  name: 'Olga Visitor',
  visitorEmails: [{ address: 'olga@example.com' }],
  phone: [{ phoneNumber: '+49301234567' }],
  department: 'sales',
  livechatData: { customerId: 'C-42' },
  status: 'online',
  ts: '2026-01-02T10:00:00.000Z',
  _updatedAt: '2026-01-02T10:00:00.000Z',
  ip: '203.0.113.9',
  userAgent: CHROME_ON_LINUX,
};

const closedRoom: Room = {
  _id: 'R1',
  t: 'l',
  fname: 'Olga Visitor',
  status: 'closed',
  open: false,
  msgs: 5,
  ts: '2026-01-02T10:00:01.000Z',
  lm: '2026-01-02T10:05:00.000Z',
  _updatedAt: '2026-01-02T10:05:00.000Z',
  code: 12,
  departmentId: 'sales',
  v: { _id: 'V1', username: 'guest-7', token: visitor.token, status: 'online', name: 'Olga Visitor' },
  servedBy: { _id: 'alice', username: 'alice', ts: '2026-01-02T10:00:01.000Z' },
  livechatData: { productId: 'P-9' },
  source: { type: 'widget' },
  tags: ['vip'],
  closedAt: '2026-01-02T10:05:00.000Z',
  closer: 'user',
  closedBy: { _id: 'alice', username: 'alice' },
  closeComment: 'bye',
};

function message(seq: number, fields: Partial<Message>): Message {
  const ts = `2026-01-02T10:0${seq}:00.000Z`;
  return { _id: `M${seq}`, rid: 'R1', seq, msg: '', ts, _updatedAt: ts, u: { _id: 'V1', username: 'guest-7' }, mentions: [], channels: [], ...fields };
}

const history: Message[] = [
  message(1, { msg: 'hello', token: visitor.token }),
  message(2, { msg: 'hi, how can I help?', u: { _id: 'alice', username: 'alice', name: 'Alice Agent' } }),
  message(3, { msg: '', t: 'livechat_transfer_history', u: { _id: 'alice', username: 'alice' } }),
  message(4, { msg: 'visited a page', _hidden: true, t: 'livechat_navigation_history' }),
  message(5, { msg: 'bye', t: 'livechat-close', u: { _id: 'alice', username: 'alice' }, editedAt: undefined }),
];

const source: RoomSource = { room: closedRoom, agent: { _id: 'alice', username: 'alice', name: 'Alice Agent', email: 'alice@example.com' } };

describe('LivechatSession payload', () => {
  const payload = roomPayload('LivechatSession', source, visitor, history);

  it('has every field of the spec, from the room, the visitor, the agent and the visible messages', () => {
    expect(payload).toStrictEqual({
      type: 'LivechatSession',
      _id: 'R1',
      label: 'Olga Visitor',
      code: 12,
      createdAt: '2026-01-02T10:00:01.000Z',
      lastMessageAt: '2026-01-02T10:05:00.000Z',
      tags: ['vip'],
      customFields: { productId: 'P-9' },
      visitor: {
        _id: 'V1',
        token: visitor.token,
        name: 'Olga Visitor',
        username: 'guest-7',
        email: 'olga@example.com',
        phone: '+49301234567',
        department: 'sales',
        ip: '203.0.113.9',
        os: 'Linux',
        browser: 'Chrome 120.0.0.0',
        customFields: { customerId: 'C-42' },
      },
      agent: { _id: 'alice', username: 'alice', name: 'Alice Agent', email: 'alice@example.com' },
      messages: [
        { _id: 'M1', username: 'guest-7', msg: 'hello', ts: '2026-01-02T10:01:00.000Z' },
        { _id: 'M2', username: 'alice', agentId: 'alice', msg: 'hi, how can I help?', ts: '2026-01-02T10:02:00.000Z' },
        { _id: 'M5', username: 'alice', agentId: 'alice', msg: 'bye', ts: '2026-01-02T10:05:00.000Z', closingMessage: true },
      ],
      departmentId: 'sales',
      servedBy: { _id: 'alice', username: 'alice', ts: '2026-01-02T10:00:01.000Z' },
      closedAt: '2026-01-02T10:05:00.000Z',
      closedBy: { _id: 'alice', username: 'alice' },
      closer: 'user',
    });
    expect(schemaErrors(payload)).toEqual([]);
  });

  it('does not leak the visitor token through messages (only Message events carry it)', () => {
    expect(payload.messages).toEqual(expect.not.arrayContaining([expect.objectContaining({ token: expect.anything() })]));
  });

  it('falls back to the room copy of the visitor when the record is gone, with null e-mail and phone', () => {
    const without = roomPayload('LivechatSession', { room: { ...closedRoom, servedBy: undefined } }, undefined, []);
    expect(without.visitor).toStrictEqual({ _id: 'V1', token: visitor.token, name: 'Olga Visitor', username: 'guest-7', email: null, phone: null, customFields: {} });
    expect(without).not.toHaveProperty('agent');
    expect(without).not.toHaveProperty('servedBy');
    expect(schemaErrors(without)).toEqual([]);
  });
});

describe('opt-in room payloads', () => {
  it('Message: the room with just the one message, carrying the visitor token when the visitor wrote it', () => {
    const one = history[0]!;
    const payload = roomPayload('Message', { ...source, message: one }, visitor, [one]);
    expect(payload.messages).toStrictEqual([{ _id: 'M1', username: 'guest-7', msg: 'hello', ts: one.ts, token: visitor.token }]);
    expect(payload).not.toHaveProperty('closedAt');
    expect(schemaErrors(payload)).toEqual([]);
  });

  it('Forwarded: old and new department and agent', () => {
    const room = { ...closedRoom, status: 'served' as const, open: true, departmentId: 'support', servedBy: { _id: 'bob', username: 'bob', ts: closedRoom.ts } };
    const payload = roomPayload('LivechatSessionForwarded', { room, previous: { servedBy: { _id: 'alice', username: 'alice' }, departmentId: 'sales' } }, visitor, []);
    expect(payload).toMatchObject({ departmentId: 'support', servedBy: { username: 'bob' }, oldDepartmentId: 'sales', oldServedBy: { _id: 'alice', username: 'alice' } });
    expect(schemaErrors(payload)).toEqual([]);
  });

  it.each(['LivechatSessionStart', 'LivechatSessionQueued', 'LivechatSessionTaken'] as const)('%s validates against its schema', (type) => {
    const payload = roomPayload(type, source, visitor, history.slice(0, 2));
    expect(schemaErrors(payload)).toEqual([]);
    expect(payload.departmentId).toBe('sales');
  });
});

describe('LivechatOfflineMessage payload', () => {
  const offline: OfflineMessage = { _id: 'O1', name: 'Fay', email: 'fay@example.com', message: 'call me', ts: '2026-01-02T11:00:00.000Z', host: 'https://shop.example' };

  it('is exactly the spec shape, plus department when one was chosen', () => {
    expect(offlinePayload(offline)).toStrictEqual({ type: 'LivechatOfflineMessage', sentAt: offline.ts, visitor: { name: 'Fay', email: 'fay@example.com' }, message: 'call me' });
    const withDepartment = offlinePayload({ ...offline, department: 'sales' });
    expect(withDepartment.department).toBe('sales');
    expect(schemaErrors(withDepartment)).toEqual([]);
  });
});
