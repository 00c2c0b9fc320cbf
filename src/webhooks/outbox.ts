/**
 * The outbox port: domain events → the puts that enqueue their webhook deliveries, appended by the services to
 * the batch that makes the change durable. Synchronous, reads nothing but the active config: one job per
 * (event, subscribed webhook), carrying what is known now — the room snapshot, the agent as configured now, or
 * the whole payload of an offline message.
 *
 * Room events that carry a `record` (the visitor and the messages as they were) are written with their payload
 * complete, so a visitor who removes their data while the receiver is down cannot empty a pending delivery: the
 * close reads its record before it is decided (`LivechatSession`), and opening a room has the visitor at hand
 * and no messages yet (Start, and Queued/Taken of the opening). The others — `Message`, whose path must not read,
 * later Queued/Taken/Forwarded, a close that could not read its record — carry a `source` instead, which the
 * worker completes from the store before the first attempt.
 */
import type { ConfigSnapshot } from '../config/index.js';
import type { WebhookEvent } from '../config/schema-types.js';
import type { DomainEvent, SessionRecord } from '../domain/events.js';
import type { OutboxPort } from '../domain/ports/outbox.js';
import type { BatchOp } from '../domain/ports/store.js';
import type { Room } from '../domain/room.js';
import { newJobId, putJob, type AgentFacts, type DeliveryJob, type RoomSource } from './jobs.js';
import { offlinePayload, roomPayload, type RoomEvent } from './payloads.js';

export interface OutboxDeps {
  config: () => ConfigSnapshot;
  now: () => Date;
  /** Told of every event that enqueued at least one job, so the worker can look once the batch is durable. */
  enqueued: (event: DomainEvent) => void;
}

type Draft = { event: WebhookEvent } & Pick<DeliveryJob, 'source' | 'payload'>;

export function createOutbox(deps: OutboxDeps): OutboxPort {
  return {
    opsFor(events) {
      const config = deps.config();
      if (config.webhooks.length === 0) return [];
      const now = deps.now();
      const ops: BatchOp[] = [];
      for (const domainEvent of events) {
        const draft = draftOf(domainEvent, config);
        if (!draft) continue;
        const before = ops.length;
        for (const hook of config.webhooks) {
          if (!hook.events.includes(draft.event)) continue;
          const job: DeliveryJob = { id: newJobId(), webhook: hook.id, createdAt: now.toISOString(), dueAt: now.getTime(), attempts: 0, ...draft };
          ops.push(putJob(job));
        }
        if (ops.length > before) deps.enqueued(domainEvent);
      }
      return ops;
    },
  };
}

/** Which webhook event a domain event is, if any, and what its job must carry. */
function draftOf(event: DomainEvent, config: ConfigSnapshot): Draft | undefined {
  switch (event.type) {
    case 'room.closed':
      return roomDraft('LivechatSession', event.room, event.record, config);
    case 'room.opened':
      return roomDraft('LivechatSessionStart', event.room, event.record, config);
    case 'room.queued':
      return roomDraft('LivechatSessionQueued', event.room, event.record, config);
    case 'room.assigned': // also after a transfer to an agent: Forwarded, then Taken by the new agent
      return roomDraft('LivechatSessionTaken', event.room, event.record, config);
    case 'room.transferred': {
      const previous = {
        ...(event.previousAgent !== undefined && { servedBy: { _id: event.previousAgent, username: event.previousAgent } }),
        ...(event.previousDepartment !== undefined && { departmentId: event.previousDepartment }),
      };
      return { event: 'LivechatSessionForwarded', source: { ...roomSource(event.room, config), previous } };
    }
    case 'message.created':
      // Only what people wrote: system messages (close, transfer history, ...) are not `Message` events.
      if (event.message.t !== undefined || event.message._hidden) return undefined;
      return { event: 'Message', source: { ...roomSource(event.room, config), message: event.message } };
    case 'offline.message':
      return { event: 'LivechatOfflineMessage', payload: offlinePayload(event.offline) };
    default:
      return undefined;
  }
}

/** A room event's job: the complete payload when the event carries its record, else the source to complete later. */
function roomDraft(type: RoomEvent, room: Room, record: SessionRecord | undefined, config: ConfigSnapshot): Draft {
  const source = roomSource(room, config);
  return record ? { event: type, payload: roomPayload(type, source, record.visitor, record.messages) } : { event: type, source };
}

function roomSource(room: Room, config: ConfigSnapshot): RoomSource {
  const agent = room.servedBy && agentFacts(room.servedBy, config);
  return { room, ...(agent && { agent }) };
}

/** Agents' `_id` is their username; name and e-mail come from the config as it is now. */
function agentFacts(servedBy: { _id: string; username: string }, config: ConfigSnapshot): AgentFacts {
  const user = config.users[servedBy.username];
  return { _id: servedBy._id, username: servedBy.username, name: user?.name ?? servedBy.username, email: user?.email ?? null };
}
