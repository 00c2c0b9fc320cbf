/**
 * The outbox port: domain events → the puts that enqueue their webhook deliveries, appended by the services to
 * the batch that makes the change durable. Synchronous, reads nothing but the active config: one job per
 * (event, subscribed webhook), carrying what is known now — the room snapshot, the agent as configured now, or
 * the whole payload of an offline message.
 *
 * `LivechatSession` jobs are written with their payload complete: the close reads the visitor and the messages
 * before it is decided and hands them over on the event (`record`), so a visitor who removes their data while
 * the receiver is down cannot empty the transcript. The opt-in room events (and a close that could not read its
 * record) carry a `source` instead, which the worker completes from the store before the first attempt.
 */
import type { ConfigSnapshot } from '../config/index.js';
import type { WebhookEvent } from '../config/schema-types.js';
import type { DomainEvent } from '../domain/events.js';
import type { OutboxPort } from '../domain/ports/outbox.js';
import type { BatchOp } from '../domain/ports/store.js';
import type { Room } from '../domain/room.js';
import { newJobId, putJob, type AgentFacts, type DeliveryJob, type RoomSource } from './jobs.js';
import { offlinePayload, roomPayload } from './payloads.js';

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
    case 'room.closed': {
      const source = roomSource(event.room, config);
      if (!event.record) return { event: 'LivechatSession', source };
      return { event: 'LivechatSession', payload: roomPayload('LivechatSession', source, event.record.visitor, event.record.messages) };
    }
    case 'room.opened':
      return { event: 'LivechatSessionStart', source: roomSource(event.room, config) };
    case 'room.queued':
      return { event: 'LivechatSessionQueued', source: roomSource(event.room, config) };
    case 'room.assigned': // also after a transfer to an agent: Forwarded, then Taken by the new agent
      return { event: 'LivechatSessionTaken', source: roomSource(event.room, config) };
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

function roomSource(room: Room, config: ConfigSnapshot): RoomSource {
  const agent = room.servedBy && agentFacts(room.servedBy, config);
  return { room, ...(agent && { agent }) };
}

/** Agents' `_id` is their username; name and e-mail come from the config as it is now. */
function agentFacts(servedBy: { _id: string; username: string }, config: ConfigSnapshot): AgentFacts {
  const user = config.users[servedBy.username];
  return { _id: servedBy._id, username: servedBy.username, name: user?.name ?? servedBy.username, email: user?.email ?? null };
}
