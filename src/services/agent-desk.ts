/**
 * The agent side: login, status, my rooms and the queue, take, reply, close, transfer. Agents act on the rooms
 * they serve and on the queue of their departments (rooms without a department are everyone's); managers act on
 * any open room.
 */
import type { ConfigSnapshot } from '../config/index.js';
import { AppError } from '../domain/errors.js';
import type { Room } from '../domain/room.js';
import { verifyPassword } from '../domain/password.js';
import type { AgentPresence } from './agent-presence.js';
import type { AgentProfile, ChatServices } from './api.js';
import type { ChatState } from './chat-state.js';
import type { ServiceDeps } from './context.js';
import type { Dispatcher } from './dispatch.js';
import type { LoginLimiter } from './login-limiter.js';
import type { Messages } from './messages.js';
import type { Rooms } from './rooms.js';
import type { Router } from './router.js';

/** Compared against when the username is unknown, so both failures take the same time. */
const DUMMY_HASH = '$scrypt$ln=15,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export function agentDesk(
  deps: ServiceDeps,
  parts: { state: ChatState; presence: AgentPresence; router: Router; rooms: Rooms; messages: Messages; dispatcher: Dispatcher; limiter: LoginLimiter },
): ChatServices['agents'] {
  const { state, presence, router, rooms, messages, dispatcher, limiter } = parts;

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

  /** An open room this user may act on; someone else's room reads as missing. */
  const actionable = (username: string, rid: string): Room => {
    const room = state.get(rid);
    const config = deps.config();
    const allowed =
      room !== undefined &&
      (config.users[username]?.role === 'manager' ||
        room.servedBy?.username === username ||
        (room.status === 'queued' && mayTake(config, username, room)));
    if (!allowed) throw new AppError('not-found', 'No such open room');
    return room;
  };

  const asUser = (username: string) => {
    const u = user(username);
    return { _id: u.username, username: u.username, name: u.name };
  };

  return {
    async login({ username, password, ip }) {
      await limiter.check(username, ip);
      const candidate = deps.config().users[username];
      const ok = await verifyPassword(password, candidate?.passwordHash ?? DUMMY_HASH);
      if (!ok || !candidate) {
        await limiter.failed(username, ip);
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
      await dispatcher.apply([room], routed.ops, routed.events);
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
      return rooms.close(room, { by: 'user', user: asUser(username), comment: comment ?? '' });
    },

    async transfer(username, { rid, agent, department, comment }) {
      const room = actionable(username, rid);
      if ((agent === undefined) === (department === undefined)) throw new AppError('invalid-params', 'Transfer to either an agent or a department');
      return rooms.transfer(room, { ...asUser(username), type: 'user' }, { ...(agent !== undefined && { agent }), ...(department !== undefined && { department }), ...(comment !== undefined && { comment }) });
    },
  };
}
