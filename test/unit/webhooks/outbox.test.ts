/**
 * The outbox port (events → jobs, synchronously) and the freeze step that completes a job from the store.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type ConfigSnapshot } from '../../../src/config/index.js';
import type { DomainEvent } from '../../../src/domain/events.js';
import type { Message } from '../../../src/domain/message.js';
import { messageKey, type BatchOp } from '../../../src/domain/ports/store.js';
import type { Room } from '../../../src/domain/room.js';
import { createMemoryStore } from '../../../src/store/memory/index.js';
import { freeze } from '../../../src/webhooks/freeze.js';
import { jobKey, type DeliveryJob } from '../../../src/webhooks/jobs.js';
import { createOutbox } from '../../../src/webhooks/outbox.js';

let config: ConfigSnapshot;
beforeAll(async () => {
  const path = fileURLToPath(new URL('../../fixtures/webhooks/two-receivers.yaml', import.meta.url));
  const result = await loadConfig(path, { env: { DATA_DIR: '/tmp/unused', SLOW_URL: 'http://127.0.0.1:1/slow', FAST_URL: 'http://127.0.0.1:1/fast' } });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  config = result.config;
});

const NOW = new Date('2026-03-04T05:06:07.890Z');

const room: Room = {
  _id: 'R1',
  t: 'l',
  fname: 'Olga',
  status: 'served',
  open: true,
  msgs: 2,
  ts: '2026-03-04T05:00:00.000Z',
  _updatedAt: '2026-03-04T05:00:00.000Z',
  code: 1,
  departmentId: 'sales',
  v: { _id: 'V1', username: 'guest-1', token: 'visitor-token-0000000001', status: 'online', name: 'Olga' },
  servedBy: { _id: 'alice', username: 'alice', ts: '2026-03-04T05:00:00.000Z' },
  livechatData: {},
  source: { type: 'widget' },
  tags: [],
};

function msg(seq: number, fields: Partial<Message> = {}): Message {
  return { _id: `M${seq}`, rid: 'R1', seq, msg: `m${seq}`, ts: room.ts, _updatedAt: room.ts, u: { _id: 'V1', username: 'guest-1' }, mentions: [], channels: [], ...fields };
}

function jobsOf(ops: BatchOp[]): DeliveryJob[] {
  return ops.map((op) => {
    if (op.type !== 'put' || op.collection !== 'outbox') throw new Error(`unexpected op ${JSON.stringify(op)}`);
    return op.value as DeliveryJob;
  });
}

function outbox(seen: DomainEvent[] = []) {
  return createOutbox({ config: () => config, now: () => NOW, enqueued: (event) => seen.push(event) });
}

describe('outbox opsFor', () => {
  it('gives each subscribed webhook its own job of an event, with its own id', () => {
    const seen: DomainEvent[] = [];
    const closed: DomainEvent = { type: 'room.closed', room: { ...room, status: 'closed', open: false }, message: msg(3, { t: 'livechat-close' }) };
    const jobs = jobsOf(outbox(seen).opsFor([closed]));
    expect(jobs.map((j) => [j.webhook, j.event, j.attempts, j.dueAt])).toEqual([
      ['slow', 'LivechatSession', 0, NOW.getTime()],
      ['fast', 'LivechatSession', 0, NOW.getTime()],
    ]);
    expect(new Set(jobs.map((j) => j.id)).size).toBe(2);
    expect(jobs[0]!.source).toEqual({ room: closed.room, agent: { _id: 'alice', username: 'alice', name: 'Alice Agent', email: 'alice@example.com' } });
    expect(seen).toEqual([closed]);
  });

  it('maps every opt-in event, and only to the webhooks that asked for it', () => {
    const events: DomainEvent[] = [
      { type: 'room.opened', room },
      { type: 'room.queued', room },
      { type: 'room.assigned', room },
      { type: 'room.transferred', room, message: msg(3, { t: 'livechat_transfer_history' }), previousAgent: 'bob', previousDepartment: 'support' },
      { type: 'message.created', room, message: msg(4) },
      { type: 'offline.message', offline: { _id: 'O1', name: 'Fay', email: 'fay@example.com', message: 'hi', ts: NOW.toISOString() } },
    ];
    const jobs = jobsOf(outbox().opsFor(events));
    expect(jobs.map((j) => `${j.webhook}:${j.event}`)).toEqual([
      'fast:LivechatSessionStart',
      'fast:LivechatSessionQueued',
      'fast:LivechatSessionTaken',
      'fast:LivechatSessionForwarded',
      'slow:Message',
      'fast:Message',
      'fast:LivechatOfflineMessage',
    ]);
    expect(jobs[3]!.source?.previous).toEqual({ servedBy: { _id: 'bob', username: 'bob' }, departmentId: 'support' });
    expect(jobs[6]!.payload).toEqual({ type: 'LivechatOfflineMessage', sentAt: NOW.toISOString(), visitor: { name: 'Fay', email: 'fay@example.com' }, message: 'hi' });
  });

  it('enqueues nothing for system messages, hidden messages and events no webhook is about', () => {
    const seen: DomainEvent[] = [];
    const ops = outbox(seen).opsFor([
      { type: 'message.created', room, message: msg(5, { t: 'livechat-close' }) },
      { type: 'message.created', room, message: msg(6, { _hidden: true }) },
      { type: 'room.updated', room },
      { type: 'agent.status', username: 'alice', status: 'away' },
    ]);
    expect(ops).toEqual([]);
    expect(seen).toEqual([]);
  });

  it('writes the payload complete when the event carries its record (the close, the opening): no source to read later', () => {
    const visitor = { _id: 'V1', username: 'guest-1', token: room.v.token, name: 'Olga', visitorEmails: [{ address: 'olga@example.com' }], livechatData: { customerId: 'C1' }, status: 'online', ts: room.ts, _updatedAt: room.ts };
    const closing = msg(3, { t: 'livechat-close', u: { _id: 'alice', username: 'alice' } });
    const closedRoom = { ...room, status: 'closed' as const, open: false, msgs: 3 };
    const events: DomainEvent[] = [
      { type: 'room.closed', room: closedRoom, message: closing, record: { visitor, messages: [msg(1), msg(2, { _hidden: true }), closing] } },
      { type: 'room.opened', room: { ...room, msgs: 0 }, record: { visitor, messages: [] } },
    ];
    const jobs = jobsOf(outbox().opsFor(events));
    expect(jobs.map((j) => `${j.webhook}:${j.event}`)).toEqual(['slow:LivechatSession', 'fast:LivechatSession', 'fast:LivechatSessionStart']);
    for (const job of jobs) expect(job).not.toHaveProperty('source');
    expect(jobs[0]!.payload).toMatchObject({
      type: 'LivechatSession',
      visitor: { email: 'olga@example.com', customFields: { customerId: 'C1' } },
      messages: [{ _id: 'M1', msg: 'm1' }, { _id: 'M3', agentId: 'alice', closingMessage: true }],
    });
    expect(jobs[2]!.payload).toMatchObject({ type: 'LivechatSessionStart', visitor: { email: 'olga@example.com' }, messages: [] });
  });

  it('keys jobs so that one webhook’s jobs sort by due time', () => {
    const keys = [3_000, 20, 1_000_000].map((dueAt) => jobKey({ webhook: 'crm', dueAt, id: 'msg_x' }));
    expect([...keys].sort()).toEqual([keys[1], keys[0], keys[2]]);
    expect(keys[1]).toBe('crm!000000000000020!msg_x');
  });
});

describe('freeze', () => {
  it('reads the visitor and the messages up to the seq the event saw, then drops the source', async () => {
    const store = createMemoryStore();
    const visitor = { _id: 'V1', username: 'guest-1', token: room.v.token, name: 'Olga', livechatData: { customerId: 'C1' }, status: 'online', ts: room.ts, _updatedAt: room.ts };
    await store.batch([
      { type: 'put', collection: 'visitors', key: room.v.token, value: visitor },
      ...[1, 2, 3].map((seq): BatchOp => ({ type: 'put', collection: 'messages', key: messageKey('R1', seq), value: msg(seq) })),
    ]);
    const [job] = jobsOf(outbox().opsFor([{ type: 'room.closed', room, message: msg(2, { t: 'livechat-close' }) }]));
    const frozen = await freeze(store, job!);
    expect(frozen).not.toHaveProperty('source');
    expect(frozen.payload).toMatchObject({ visitor: { customFields: { customerId: 'C1' } }, messages: [{ _id: 'M1' }, { _id: 'M2' }] });
    expect(await freeze(store, frozen)).toBe(frozen);
  });
});
