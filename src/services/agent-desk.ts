/**
 * The agent side: login, status, my rooms and the queue, take, reply, close, transfer. Agents act on the rooms
 * they serve and on the queue of their departments (rooms without a department are everyone's); managers act on
 * any open room.
 */
import type { ConfigSnapshot } from '../config/index.js';
import { AppError } from '../domain/errors.js';
import type { Room } from '../domain/room.js';
import type { Visitor } from '../domain/visitor.js';
import { verifyPassword } from '../domain/password.js';
import { describeUserAgent } from '../webhooks/user-agent.js';
import type { AgentPresence } from './agent-presence.js';
import type { AgentDirectoryEntry, AgentProfile, ChatServices, PageInfo, PageVisit, VisitorDetails } from './api.js';
import type { ChatState } from './chat-state.js';
import type { ServiceDeps } from './context.js';
import type { Dispatcher } from './dispatch.js';
import type { Messages } from './messages.js';
import type { RateLimits } from './rate-limits.js';
import type { Rooms } from './rooms.js';
import type { Router } from './router.js';

/** How many of a visitor's latest page visits an agent gets. */
const PAGES_MAX = 50;

/** A stored page visit (`pages`, keyed `${token}!${ts}!${id}`; see visitor-extras.ts). */
interface PageRecord {
  ts: string;
  page: PageInfo;
  rid?: string;
}

/** Compared against when the username is unknown, so both failures take the same time. */
const DUMMY_HASH = '$scrypt$ln=15,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export function agentDesk(
  deps: ServiceDeps,
  parts: { state: ChatState; presence: AgentPresence; router: Router; rooms: Rooms; messages: Messages; dispatcher: Dispatcher; limits: RateLimits },
): ChatServices['agents'] {
  const { state, presence, router, rooms, messages, dispatcher, limits } = parts;

  const user = (username: string) => {
    const found = deps.config().users[username];
    if (!found) throw new AppError('unauthorized', 'Not logged in');
    return found;
  };

  const profile = (username: string): AgentProfile => {
    const config = deps.config();
    const u = user(username);
    return {
      username: u.username,
      name: u.name,
      ...(u.email !== undefined && { email: u.email }),
      role: u.role,
      status: presence.status(u.username),
      departments: [...(config.departmentsOfAgent[u.username] ?? [])],
      maxChats: router.capacityOf(u.username),
    };
  };

  const mayTake = (config: ConfigSnapshot, username: string, room: Room) =>
    config.users[username]?.role === 'manager' ||
    room.departmentId === undefined ||
    (config.departmentsOfAgent[username] ?? []).includes(room.departmentId);

  /** Whether `username` may act on the open room: a manager, its agent, or one who may take it from the queue. */
  const mayAct = (username: string, room: Room): boolean => {
    const config = deps.config();
    return config.users[username]?.role === 'manager' || room.servedBy?.username === username || (room.status === 'queued' && mayTake(config, username, room));
  };

  /** An open room this user may act on; someone else's room reads as missing. */
  const actionable = (username: string, rid: string): Room => {
    const room = state.get(rid);
    if (room === undefined || !mayAct(username, room)) throw new AppError('not-found', 'No such open room');
    return room;
  };

  /** Visible custom fields with a value: visitor-scoped ones from the visitor, room-scoped ones from the room. */
  const customFields = (config: ConfigSnapshot, room: Room, visitor: Visitor | undefined): VisitorDetails['customFields'] =>
    config.customFields.flatMap((field) => {
      if (field.visibility === 'hidden') return [];
      const value = field.scope === 'room' ? room.livechatData[field.id] : visitor?.livechatData[field.id];
      return value === undefined || value === '' ? [] : [{ id: field.id, label: field.label, value }];
    });

  /** What an agent may know of a room's visitor: everything but the token. */
  const visitorDetails = (room: Room, visitor: Visitor | undefined): VisitorDetails => {
    const config = deps.config();
    const departmentId = room.departmentId ?? visitor?.department;
    const department = departmentId === undefined ? undefined : config.departmentById[departmentId];
    const email = visitor?.visitorEmails?.[0]?.address;
    const phone = visitor?.phone?.[0]?.phoneNumber;
    const name = visitor?.name ?? room.v.name;
    return {
      _id: room.v._id,
      username: room.v.username,
      ...(name !== undefined && { name }),
      ...(email !== undefined && { email }),
      ...(phone !== undefined && { phone }),
      ...(departmentId !== undefined && { department: { _id: departmentId, name: department?.name ?? departmentId } }),
      customFields: customFields(config, room, visitor),
      ...(visitor?.userAgent !== undefined && { userAgent: visitor.userAgent, ...describeUserAgent(visitor.userAgent) }),
      ...(visitor?.ip !== undefined && { ip: visitor.ip }),
    };
  };

  /** The visitor's latest page visits, oldest first. Keys start with the token; '"' sorts right after '!'. */
  const pagesOf = async (token: string): Promise<PageVisit[]> => {
    const pages: PageVisit[] = [];
    for await (const [, record] of deps.store.range<PageRecord>('pages', { gte: `${token}!`, lt: `${token}"`, reverse: true, limit: PAGES_MAX })) {
      pages.push({ ts: record.ts, title: record.page.title, href: record.page.location.href });
    }
    return pages.reverse();
  };

  const asUser = (username: string) => {
    const u = user(username);
    return { _id: u.username, username: u.username, name: u.name };
  };

  return {
    async login({ username, password, ip }) {
      // Failures count against the username and the address, so a password can neither be guessed quickly
      // from one address nor spread across many; successful logins do not count.
      await Promise.all([limits.check('loginFailuresPerUsername', username), limits.check('loginFailuresPerIp', ip)]);
      const candidate = deps.config().users[username];
      const ok = await verifyPassword(password, candidate?.passwordHash ?? DUMMY_HASH);
      if (!ok || !candidate) {
        await Promise.all([limits.count('loginFailuresPerUsername', username), limits.count('loginFailuresPerIp', ip)]);
        throw new AppError('unauthorized', 'Invalid username or password');
      }
      const session = presence.open(candidate.username, candidate.passwordHash);
      try {
        await dispatcher.apply([], [session.op], [{ type: 'agent.status', username, status: presence.status(username) }]);
      } catch (err) {
        presence.discard(session.token);
        throw err;
      }
      await dispatcher.drain();
      return { token: session.token, user: profile(candidate.username) };
    },

    async logout(token) {
      const username = presence.authenticate(token);
      await dispatcher.apply([], [presence.close(token)], username ? [{ type: 'agent.status', username, status: presence.status(username) }] : []);
    },

    authenticate(token) {
      const username = presence.authenticate(token);
      if (username === undefined) throw new AppError('unauthorized', 'Not logged in');
      return username;
    },

    me: profile,

    async setStatus(username, status) {
      user(username);
      await dispatcher.apply([], [presence.choose(username, status)], [{ type: 'agent.status', username, status: presence.status(username) }]);
      if (status === 'available') await dispatcher.drain();
      return profile(username);
    },

    rooms(username) {
      return user(username).role === 'manager' ? state.all() : state.servedBy(username);
    },

    queue(username) {
      const config = deps.config();
      return state.queue().filter((room) => mayTake(config, username, room));
    },

    // One page: at most `limit` (default 1000) after `afterSeq`; callers read on from the last seq until a short page.
    async history(username, { rid, afterSeq, limit }) {
      actionable(username, rid);
      return messages.after(rid, afterSeq ?? 0, limit ?? 1000);
    },

    async take(username, rid) {
      const room = actionable(username, rid);
      if (room.status !== 'queued') throw new AppError('forbidden', 'This chat is already being served');
      const capacity = router.capacityOf(username);
      if (capacity > 0 && state.loadOf(username) >= capacity) throw new AppError('forbidden', `You already serve ${capacity} chats`);
      const routed = router.assign(room, username);
      await dispatcher.apply([{ before: room, after: routed.room }], routed.ops, routed.events);
      return routed.room;
    },

    async send(username, { rid, msg, clientMsgId }) {
      const room = actionable(username, rid);
      if (room.servedBy?.username !== username && user(username).role !== 'manager') {
        throw new AppError('forbidden', 'Take the chat before replying');
      }
      return messages.post(rid, { user: asUser(username) }, msg, clientMsgId);
    },

    async close(username, { rid, comment }) {
      const room = actionable(username, rid);
      // Asked again when the close is decided: another agent may have taken the chat, or a transfer moved it, since.
      return rooms.close(room, { by: 'user', user: asUser(username), comment: comment ?? '' }, (current) => mayAct(username, current));
    },

    async transfer(username, { rid, agent, department, comment }) {
      const room = actionable(username, rid);
      if ((agent === undefined) === (department === undefined)) throw new AppError('invalid-params', 'Transfer to either an agent or a department');
      return rooms.transfer(room, { ...asUser(username), type: 'user' }, { ...(agent !== undefined && { agent }), ...(department !== undefined && { department }), ...(comment !== undefined && { comment }) });
    },

    async visitor(username, rid) {
      const room = actionable(username, rid);
      const [visitor, pages] = await Promise.all([deps.store.get<Visitor>('visitors', room.v.token), pagesOf(room.v.token)]);
      return { visitor: visitorDetails(room, visitor), pages };
    },

    directory(username) {
      user(username);
      const config = deps.config();
      return config.agents.map(
        (agent): AgentDirectoryEntry => ({
          username: agent.username,
          name: agent.name,
          status: presence.status(agent.username),
          departments: [...(config.departmentsOfAgent[agent.username] ?? [])],
        }),
      );
    },
  };
}
