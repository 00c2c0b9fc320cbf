/**
 * Domain → wire JSON. Success bodies are the payload with `success: true` added (Rocket.Chat's shape); dates are
 * already ISO strings in the domain. What may leave is listed here, so a field added to the domain for internal
 * bookkeeping stays internal until someone decides otherwise:
 * - visitors see their own record without pending room fields (`roomFields`);
 * - agents never see a visitor's token (it is the visitor's credential), nor anything of another agent's session.
 */
import type { Message } from '../domain/message.js';
import { messageForAgent } from '../domain/message.js';
import type { Room } from '../domain/room.js';
import { roomForAgent } from '../domain/room.js';
import type { Visitor } from '../domain/visitor.js';
import type { AgentProfile } from '../services/api.js';

export function ok<T extends object>(payload: T): T & { success: true } {
  return { ...payload, success: true };
}

/** Rocket.Chat's ILivechatVisitor as the visitor API returns it (spec §1.3). */
export function presentVisitor(v: Visitor) {
  return {
    _id: v._id,
    username: v.username,
    token: v.token,
    ...(v.name !== undefined && { name: v.name }),
    ...(v.visitorEmails && { visitorEmails: v.visitorEmails }),
    ...(v.phone && { phone: v.phone }),
    ...(v.department !== undefined && { department: v.department }),
    livechatData: v.livechatData,
    status: v.status,
    ts: v.ts,
    _updatedAt: v._updatedAt,
    ...(v.ip !== undefined && { ip: v.ip }),
    ...(v.userAgent !== undefined && { userAgent: v.userAgent }),
    ...(v.host !== undefined && { host: v.host }),
  };
}

/** Rooms and messages are Rocket.Chat's shapes already; a visitor only ever gets their own. */
export const presentRoomForVisitor = (room: Room): Room => room;
export const presentMessageForVisitor = (message: Message): Message => message;

export const presentRoomForAgent = roomForAgent;
export const presentMessageForAgent = messageForAgent;

export function presentAgentProfile(user: AgentProfile): AgentProfile {
  return {
    username: user.username,
    name: user.name,
    ...(user.email !== undefined && { email: user.email }),
    role: user.role,
    status: user.status,
    departments: user.departments,
    maxChats: user.maxChats,
  };
}
