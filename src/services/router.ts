/**
 * Routing: who serves a room. Decisions are pure functions of the config, the chat state and presence
 * (src/routing); this service applies them to the in-memory state synchronously and returns the ops that make
 * them durable, so the caller commits them in the same batch as the change that caused routing.
 */
import type { DepartmentView } from '../routing/department.js';
import { agentsFor } from '../routing/department.js';
import { pickRoundRobin } from '../routing/round-robin.js';
import type { DomainEvent } from '../domain/events.js';
import type { Room } from '../domain/room.js';
import type { BatchOp } from '../domain/ports/store.js';
import type { AgentPresence } from './agent-presence.js';
import type { ChatState } from './chat-state.js';
import type { ServiceDeps } from './context.js';
import type { Counters } from './counters.js';

export interface Routed {
  room: Room;
  ops: BatchOp[];
  events: DomainEvent[];
  /** Reverts the in-memory change when the batch fails. */
  undo: () => void;
}

export class Router {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly state: ChatState,
    private readonly presence: AgentPresence,
    private readonly counters: Counters,
  ) {}

  departments(): readonly DepartmentView[] {
    return this.deps.config().departments;
  }

  isAgentOnline(username: string): boolean {
    return this.presence.isOnline(username);
  }

  /** Logged in, available, and under capacity. */
  isEligible(username: string): boolean {
    if (!this.presence.isOnline(username)) return false;
    const capacity = this.capacityOf(username);
    return capacity === 0 || this.state.loadOf(username) < capacity;
  }

  /** 0 means no limit. Managers are not limited: they step in by choice. */
  capacityOf(username: string): number {
    const config = this.deps.config();
    const agent = config.agents.find((a) => a.username === username);
    if (!agent) return 0;
    return agent.maxChats ?? config.livechat.maxChatsPerAgent;
  }

  /** Some agent is logged in and available (perhaps at capacity): chats can be taken, maybe after a wait. */
  anyAgentOnline(departmentId?: string): boolean {
    return this.#pool(departmentId).some((u) => this.presence.isOnline(u));
  }

  /**
   * Who should get this room now: the preferred agent if eligible for its department, else the next in round
   * robin; undefined when routing is manual or nobody is eligible.
   */
  pick(room: Room, preferred?: string): string | undefined {
    if (this.deps.config().livechat.routing === 'manual') return undefined;
    const pool = this.#pool(room.departmentId);
    if (preferred !== undefined && pool.includes(preferred) && this.isEligible(preferred)) return preferred;
    return pickRoundRobin(pool, (u) => this.isEligible(u), this.counters.cursor(poolKey(room.departmentId)));
  }

  /** Serves `room` by `username` (or queues it when undefined), updating state and moving the round-robin cursor. */
  assign(room: Room, username: string | undefined, extraEvents: DomainEvent[] = []): Routed {
    const now = this.deps.now().toISOString();
    const ops: BatchOp[] = [];
    let next: Room;
    if (username === undefined) {
      next = { ...room, status: 'queued', servedBy: undefined, queuedAt: room.queuedAt ?? now, _updatedAt: now };
    } else {
      next = { ...room, status: 'served', servedBy: { _id: username, username, ts: now }, _updatedAt: now };
      ops.push(this.counters.moveCursor(poolKey(room.departmentId), username));
    }
    const previous = this.state.set(next);
    ops.push({ type: 'put', collection: 'rooms', key: next._id, value: next });
    const event: DomainEvent =
      username === undefined
        ? { type: 'room.queued', room: next }
        : { type: 'room.assigned', room: next, ...(room.servedBy && { previousAgent: room.servedBy.username }) };
    return { room: next, ops, events: [...extraEvents, event], undo: () => this.state.restore(next, previous) };
  }

  /**
   * Gives queued rooms to agents who have room for them, oldest first. A room whose department has nobody
   * eligible does not hold up rooms of other departments behind it.
   */
  drainQueue(): Routed[] {
    if (this.deps.config().livechat.routing === 'manual') return [];
    const routed: Routed[] = [];
    for (const room of this.state.queue()) {
      const username = this.pick(room);
      if (username !== undefined) routed.push(this.assign(room, username));
    }
    return routed;
  }

  #pool(departmentId: string | undefined): readonly string[] {
    const config = this.deps.config();
    return agentsFor(
      this.departments(),
      config.agents.map((a) => a.username),
      departmentId,
    );
  }
}

function poolKey(departmentId: string | undefined): string {
  return departmentId ?? '*';
}
