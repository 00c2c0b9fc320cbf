/**
 * Webhook bodies, exactly as Rocket.Chat Livechat sends them (spec/webhooks.md; rocketchat-compat.md §4.6).
 * Pure functions of what the job captured and what the worker read from the store; the JSON Schemas in
 * schemas/webhooks/ describe the results and the tests hold every payload sent against them.
 *
 * Absent facts are left out (Rocket.Chat sends `undefined`, which JSON drops), except `visitor.email`,
 * `visitor.phone` and `agent.email`, which Rocket.Chat initialises to null.
 */
import type { WebhookEvent } from '../config/schema-types.js';
import type { OfflineMessage } from '../domain/events.js';
import { isVisible, type Message } from '../domain/message.js';
import type { Room } from '../domain/room.js';
import type { Visitor } from '../domain/visitor.js';
import type { RoomSource } from './jobs.js';
import { describeUserAgent } from './user-agent.js';

export type RoomEvent = Exclude<WebhookEvent, 'LivechatOfflineMessage'>;

export interface VisitorPayload {
  _id: string;
  token: string;
  name?: string;
  username: string;
  email: string | null;
  phone: string | null;
  department?: string;
  ip?: string;
  os?: string;
  browser?: string;
  customFields: Record<string, string>;
}

export interface MessagePayload {
  _id: string;
  username: string;
  msg: string;
  ts: string;
  editedAt?: string;
  /** Set when someone other than the visitor wrote it. */
  agentId?: string;
  /** The `livechat-close` message. */
  closingMessage?: true;
  /** `Message` events only: the visitor's token on the visitor's messages. */
  token?: string;
}

/** `{ type: 'LivechatOfflineMessage', sentAt, visitor: {name, email}, message, department? }` */
export function offlinePayload(offline: OfflineMessage): Record<string, unknown> {
  return {
    type: 'LivechatOfflineMessage',
    sentAt: offline.ts,
    visitor: { name: offline.name, email: offline.email },
    message: offline.message,
    ...(offline.department !== undefined && { department: offline.department }),
  };
}

/**
 * The room payload shared by every room event. `visitor` is the stored record (undefined when it is gone: the
 * room's own copy of the visitor stands in); `messages` the room's messages in seq order, of which the visible
 * ones are sent.
 */
export function roomPayload(type: RoomEvent, source: RoomSource, visitor: Visitor | undefined, messages: readonly Message[]): Record<string, unknown> {
  const { room } = source;
  return {
    type,
    _id: room._id,
    label: room.fname,
    code: room.code,
    createdAt: room.ts,
    ...(room.lm !== undefined && { lastMessageAt: room.lm }),
    tags: [...room.tags],
    customFields: { ...room.livechatData },
    visitor: visitorPayload(room, visitor),
    ...(source.agent && { agent: { ...source.agent } }),
    messages: messages.filter(isVisible).map((message) => messagePayload(message, room, type === 'Message')),
    ...extrasOf(type, source),
  };
}

export function visitorPayload(room: Room, visitor: Visitor | undefined): VisitorPayload {
  const v: Visitor = visitor ?? {
    _id: room.v._id,
    token: room.v.token,
    username: room.v.username,
    ...(room.v.name !== undefined && { name: room.v.name }),
    livechatData: {},
    status: 'offline',
    ts: room.ts,
    _updatedAt: room.ts,
  };
  return {
    _id: v._id,
    token: v.token,
    ...(v.name !== undefined && { name: v.name }),
    username: v.username,
    email: v.visitorEmails?.[0]?.address ?? null,
    phone: v.phone?.[0]?.phoneNumber ?? null,
    ...(v.department !== undefined && { department: v.department }),
    ...(v.ip !== undefined && { ip: v.ip }),
    ...(v.userAgent !== undefined && describeUserAgent(v.userAgent)),
    customFields: { ...v.livechatData },
  };
}

export function messagePayload(message: Message, room: Room, withToken: boolean): MessagePayload {
  return {
    _id: message._id,
    username: message.u.username,
    msg: message.msg,
    ts: message.ts,
    ...(message.editedAt !== undefined && { editedAt: message.editedAt }),
    ...(message.u._id !== room.v._id && { agentId: message.u._id }),
    ...(message.t === 'livechat-close' && { closingMessage: true as const }),
    ...(withToken && message.token !== undefined && { token: message.token }),
  };
}

/** The fields newer Rocket.Chat versions add per event type; absent ones are left out. */
function extrasOf(type: RoomEvent, { room, previous }: RoomSource): Record<string, unknown> {
  const departmentId = room.departmentId;
  const servedBy = room.servedBy && { ...room.servedBy };
  switch (type) {
    case 'LivechatSession':
      return defined({ departmentId, servedBy, closedAt: room.closedAt, closedBy: room.closedBy && { ...room.closedBy }, closer: room.closer });
    case 'LivechatSessionStart':
    case 'LivechatSessionQueued':
      return defined({ departmentId });
    case 'LivechatSessionTaken':
      return defined({ departmentId, servedBy });
    case 'LivechatSessionForwarded':
      return defined({ departmentId, servedBy, oldDepartmentId: previous?.departmentId, oldServedBy: previous?.servedBy });
    case 'Message':
      return {};
  }
}

function defined(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined));
}
