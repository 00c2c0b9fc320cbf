/**
 * Domain events: what happened, published on the bus after the change is durable. Realtime fan-out and webhooks
 * consume them; neither may be the source of truth (the store is), so each event carries the state a consumer
 * needs to render it without reading back.
 */
import type { Message } from './message.js';
import type { Room } from './room.js';
import type { Visitor } from './visitor.js';

export interface OfflineMessage {
  _id: string;
  name: string;
  email: string;
  message: string;
  department?: string;
  host?: string;
  ts: string;
}

export type AgentStatus = 'available' | 'away' | 'offline';

/**
 * What a room was when the event happened: the visitor record (undefined if it is gone) and every message of the
 * room in seq order (for a close, the closing one included). Carried where the service has it at hand or reads it
 * anyway, so a webhook delivery is built from the facts of that moment and not from whatever the store holds when
 * the receiver is finally reached (the visitor may have removed their data by then).
 */
export interface SessionRecord {
  visitor: Visitor | undefined;
  messages: Message[];
}

export type DomainEvent =
  | { type: 'room.opened'; room: Room; record?: SessionRecord }
  | { type: 'room.queued'; room: Room; record?: SessionRecord }
  | { type: 'room.assigned'; room: Room; previousAgent?: string; record?: SessionRecord }
  | { type: 'room.transferred'; room: Room; message: Message; previousAgent?: string; previousDepartment?: string }
  | { type: 'room.closed'; room: Room; message: Message; record?: SessionRecord }
  | { type: 'room.updated'; room: Room }
  | { type: 'message.created'; room: Room; message: Message }
  | { type: 'message.updated'; room: Room; message: Message }
  | { type: 'message.deleted'; room: Room; messageId: string }
  | { type: 'visitor.updated'; visitor: Visitor }
  | { type: 'visitor.removed'; visitorId: string; token: string }
  | { type: 'agent.status'; username: string; status: AgentStatus }
  /** A user's sessions stopped being valid: removed from the config, or their password hash changed. */
  | { type: 'agent.revoked'; username: string; reason: 'removed' | 'credentials-changed' }
  /** A new configuration was committed (its coordinator generation); widgets refetch theirs. */
  | { type: 'config.changed'; hash: string; generation: number }
  /** Ephemeral: never stored, only fanned out to the other side of the room. */
  | { type: 'typing'; rid: string; from: 'visitor' | 'agent'; username: string; name?: string; typing: boolean }
  | { type: 'offline.message'; offline: OfflineMessage };

export type DomainEventType = DomainEvent['type'];
