/**
 * What the realtime channels need beyond the REST use cases: the visitor's current room, replay after a seq,
 * typing, queue positions, and agent presence driven by connections (with a grace period, so a flaky network
 * does not cost an agent their chats).
 *
 * Presence rule: an agent is online while at least one console connection is open. A logged-in agent without
 * one — their last connection dropped, they logged in over REST only, or the daemon restarted — keeps their
 * chats for `livechat.agentGraceSeconds`; a connection within it cancels the timer, after it their rooms are
 * re-routed (or queued) and they are offline until they connect or log in again.
 */
import { AppError } from '../domain/errors.js';
import type { Message } from '../domain/message.js';
import type { Room } from '../domain/room.js';
import type { AgentPresence } from './agent-presence.js';
import { agentView } from './agent-view.js';
import type { AgentView } from './api.js';
import type { ChatState } from './chat-state.js';
import type { ServiceDeps } from './context.js';
import type { Dispatcher } from './dispatch.js';
import { sameSecret } from './ids.js';
import type { Messages } from './messages.js';
import type { Router } from './router.js';
import type { Visitors } from './visitors.js';

export interface LiveServices {
  /** An open room by id. */
  room(rid: string): Room | undefined;
  /** The open room of a visitor token, without checking the token. */
  roomOfToken(token: string): Room | undefined;
  /** The visitor's open room, if any; `invalid-token` for an unknown token. */
  currentRoom(token: string): Promise<Room | undefined>;
  /**
   * At most `limit` (default 1000) messages of the visitor's room after `afterSeq`, in seq order; hidden ones
   * included (clients filter), so a short page means there are no more. Callers page with the last seq.
   */
  messagesAfter(input: { token: string; rid: string; afterSeq: number; limit?: number }): Promise<Message[]>;
  visitorTyping(input: { token: string; rid: string; typing: boolean }): Promise<void>;
  agentTyping(username: string, input: { rid: string; typing: boolean }): void;
  /** 1-based position among queued rooms, oldest first; undefined when not queued. */
  queuePosition(rid: string): number | undefined;
  /** The agent of a room as its visitor may see them. */
  agentOf(room: Room): AgentView | undefined;
  /** Whether an agent's console should see this open room (theirs, or in a queue they may take from). */
  canSee(username: string, room: Room): boolean;
  /**
   * Who `canSee` a room that is not queued, each once: its agent and every manager. Undefined for a queued room,
   * whose audience depends on departments: ask `canSee` then. Fan-out of every message uses this.
   */
  seersOf(room: Room): string[] | undefined;
  visitorConnected(token: string): Promise<void>;
  visitorDisconnected(token: string): Promise<void>;
  agentConnected(username: string): Promise<void>;
  agentDisconnected(username: string): void;
  /** Cancels grace timers (daemon stop). */
  stop(): void;
}

export function liveServices(
  deps: ServiceDeps,
  parts: { state: ChatState; visitors: Visitors; messages: Messages; router: Router; presence: AgentPresence; dispatcher: Dispatcher },
): LiveServices {
  const { state, visitors, messages, router, presence, dispatcher } = parts;
  const graceTimers = new Map<string, NodeJS.Timeout>();
  const visitorSockets = new Map<string, number>();

  async function ownOpenRoom(token: string, rid: string): Promise<Room> {
    await visitors.require(token);
    const room = state.get(rid);
    if (!room || !sameSecret(room.v.token, token)) throw new AppError('invalid-room', '');
    return room;
  }

  /** (Re)starts the grace period of an agent who is logged in with no open connection. */
  function startGrace(username: string): void {
    clearTimeout(graceTimers.get(username));
    const timer = setTimeout(() => void lapse(username), deps.config().livechat.agentGraceSeconds * 1000);
    timer.unref();
    graceTimers.set(username, timer);
  }
  presence.onUnattended(startGrace);

  /** The grace period is over: the agent's open chats go to someone else or back to the queue. */
  async function lapse(username: string): Promise<void> {
    graceTimers.delete(username);
    presence.lapse(username);
    if (presence.isConnected(username)) return;
    const moved = state.servedBy(username).map((room) => router.assign(room, router.pick({ ...room, servedBy: undefined })));
    deps.bus.publish({ type: 'agent.status', username, status: presence.status(username) });
    if (moved.length === 0) return;
    try {
      await dispatcher.apply([], moved.flatMap((m) => m.ops), moved.flatMap((m) => m.events));
    } catch {
      for (const m of moved.reverse()) m.undo();
    }
  }

  return {
    room: (rid) => state.get(rid),
    roomOfToken: (token) => state.ofToken(token),

    async currentRoom(token) {
      await visitors.require(token);
      return state.ofToken(token);
    },

    async messagesAfter({ token, rid, afterSeq, limit }) {
      const room = state.get(rid) ?? (await deps.store.get<Room>('rooms', rid));
      if (!room || !sameSecret(room.v.token, token)) throw new AppError('invalid-room', '');
      return messages.after(rid, afterSeq, limit);
    },

    async visitorTyping({ token, rid, typing }) {
      const room = await ownOpenRoom(token, rid);
      deps.bus.publish({ type: 'typing', rid: room._id, from: 'visitor', username: room.v.username, ...(room.v.name !== undefined && { name: room.v.name }), typing });
    },

    agentTyping(username, { rid, typing }) {
      const room = state.get(rid);
      if (!room || room.servedBy?.username !== username) throw new AppError('not-found', 'No such open room');
      const name = deps.config().users[username]?.name;
      deps.bus.publish({ type: 'typing', rid, from: 'agent', username, ...(name !== undefined && { name }), typing });
    },

    queuePosition(rid) {
      const index = state.queue().findIndex((room) => room._id === rid);
      return index === -1 ? undefined : index + 1;
    },

    agentOf(room) {
      return room.servedBy && agentView(deps.config(), presence, room.servedBy.username);
    },

    seersOf(room) {
      if (room.status === 'queued') return undefined;
      const agent = room.servedBy?.username;
      const seers = agent === undefined ? [] : [agent];
      for (const { username } of deps.config().managers) if (username !== agent) seers.push(username);
      return seers;
    },

    canSee(username, room) {
      const config = deps.config();
      if (config.users[username]?.role === 'manager') return true;
      if (room.servedBy?.username === username) return true;
      return room.status === 'queued' && (room.departmentId === undefined || (config.departmentsOfAgent[username] ?? []).includes(room.departmentId));
    },

    async visitorConnected(token) {
      const count = (visitorSockets.get(token) ?? 0) + 1;
      visitorSockets.set(token, count);
      if (count === 1) await visitors.setStatus(token, 'online');
    },

    async visitorDisconnected(token) {
      const count = (visitorSockets.get(token) ?? 1) - 1;
      if (count > 0) return void visitorSockets.set(token, count);
      visitorSockets.delete(token);
      await visitors.setStatus(token, 'offline').catch(() => undefined); // the visitor may have been deleted meanwhile
    },

    async agentConnected(username) {
      clearTimeout(graceTimers.get(username));
      graceTimers.delete(username);
      const wasOffline = presence.status(username) === 'offline';
      presence.connected(username);
      if (wasOffline) deps.bus.publish({ type: 'agent.status', username, status: presence.status(username) });
      await dispatcher.drain();
    },

    agentDisconnected(username) {
      if (presence.disconnected(username)) startGrace(username);
    },

    stop() {
      for (const timer of graceTimers.values()) clearTimeout(timer);
      graceTimers.clear();
    },
  };
}
