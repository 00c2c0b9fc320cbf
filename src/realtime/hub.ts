/**
 * Fan-out: domain events from the bus → frames to the connections that may see them. The hub holds no chat
 * state of its own beyond who is connected; what a room looks like comes with the event, who may see it from
 * the services.
 */
import type { DomainEvent } from '../domain/events.js';
import { messageForAgent } from '../domain/message.js';
import { roomForAgent, type Room } from '../domain/room.js';
import type { EventBus } from '../domain/ports/bus.js';
import type { ChatServices } from '../services/api.js';
import type { AgentRegistry, AgentSession } from './agent-session.js';
import { CLOSE } from './close-codes.js';
import type { VisitorRegistry, VisitorSession } from './visitor-session.js';
import { inSlices } from './slices.js';

export class Hub implements VisitorRegistry, AgentRegistry {
  /**
   * Visitor sessions by token. A token nearly always has one socket, kept as itself; a Set is made only for a
   * second one (the same visitor in two tabs), and dropped again when one is left.
   */
  readonly #visitors = new Map<string, VisitorSession | Set<VisitorSession>>();
  /** Agent sessions by username, so a message finds its audience without asking about every agent. */
  readonly #agentsByName = new Map<string, Set<AgentSession>>();
  readonly #unsubscribe: () => void;

  constructor(
    private readonly services: ChatServices,
    bus: EventBus,
  ) {
    this.#unsubscribe = bus.subscribe((event) => this.#route(event));
  }

  addVisitor(session: VisitorSession): void {
    const present = this.#visitors.get(session.token);
    if (present === undefined) this.#visitors.set(session.token, session);
    else if (present instanceof Set) present.add(session);
    else if (present !== session) this.#visitors.set(session.token, new Set([present, session]));
  }

  removeVisitor(session: VisitorSession): void {
    const present = this.#visitors.get(session.token);
    if (present === session) {
      this.#visitors.delete(session.token);
    } else if (present instanceof Set && present.delete(session) && present.size === 1) {
      const [last] = present;
      if (last) this.#visitors.set(session.token, last);
    }
  }

  addAgent(session: AgentSession): void {
    const named = this.#agentsByName.get(session.username);
    if (named) named.add(session);
    else this.#agentsByName.set(session.username, new Set([session]));
  }

  removeAgent(session: AgentSession): void {
    const named = this.#agentsByName.get(session.username);
    if (named?.delete(session) && named.size === 0) this.#agentsByName.delete(session.username);
  }

  /** Every session's connection, for telling all of them about a reload. */
  *connections(): Iterable<VisitorSession | AgentSession> {
    for (const present of this.#visitors.values()) {
      if (present instanceof Set) yield* present;
      else yield present;
    }
    for (const named of this.#agentsByName.values()) yield* named;
  }

  stop(): void {
    this.#unsubscribe();
  }

  #route(event: DomainEvent): void {
    switch (event.type) {
      case 'message.created':
        if (!event.message._hidden) for (const v of this.#visitorsOf(event.room)) v.live(event.message);
        for (const a of this.#agentsSeeing(event.room)) a.live(event.message);
        return;
      case 'message.updated':
        this.#toVisitors(event.room, { type: 'message.updated', rid: event.room._id, message: event.message });
        this.#toAgents(this.#agentsSeeing(event.room), { type: 'message.updated', rid: event.room._id, message: messageForAgent(event.message) });
        return;
      case 'message.deleted':
        this.#toVisitors(event.room, { type: 'message.deleted', rid: event.room._id, _id: event.messageId });
        this.#toAgents(this.#agentsSeeing(event.room), { type: 'message.deleted', rid: event.room._id, _id: event.messageId });
        return;
      case 'typing': {
        const room = this.services.live.room(event.rid);
        if (!room) return;
        const frame = { type: 'typing', rid: event.rid, username: event.username, name: event.name, typing: event.typing };
        if (event.from === 'agent') this.#toVisitors(room, frame);
        else this.#toAgents(this.#agentsSeeing(room), frame);
        return;
      }
      case 'room.queued':
        this.#toAgents(this.#agentsSeeing(event.room), { type: 'room.queued', room: roomForAgent(event.room) });
        this.#updateQueuePositions();
        return;
      case 'room.assigned': {
        const audience = this.#agentsWhere((a) => this.services.live.canSee(a.username, event.room) || this.#couldTake(a.username, event.room) || a.username === event.previousAgent);
        this.#toAgents(audience, { type: 'room.assigned', room: roomForAgent(event.room), previousAgent: event.previousAgent });
        this.#toVisitors(event.room, { type: 'agent', rid: event.room._id, agent: this.services.live.agentOf(event.room) ?? null });
        this.#updateQueuePositions();
        return;
      }
      case 'room.closed': {
        const audience = this.#agentsWhere((a) => this.services.live.canSee(a.username, event.room) || this.#couldTake(a.username, event.room));
        this.#toAgents(audience, { type: 'room.closed', rid: event.room._id, room: roomForAgent(event.room) });
        this.#toVisitors(event.room, { type: 'room.closed', rid: event.room._id, room: event.room });
        for (const s of [...audience, ...this.#visitorsOf(event.room)]) s.forget(event.room._id);
        this.#updateQueuePositions();
        return;
      }
      case 'room.updated':
        this.#toAgents(this.#agentsSeeing(event.room), { type: 'room.updated', room: roomForAgent(event.room) });
        return;
      case 'agent.status':
        for (const room of this.#roomsOfConnectedVisitors()) {
          if (room.servedBy?.username === event.username) this.#toVisitors(room, { type: 'agent', rid: room._id, agent: this.services.live.agentOf(room) ?? null });
        }
        return;
      case 'agent.revoked':
        for (const a of this.#agentsWhere((s) => s.username === event.username)) {
          a.conn.close(event.reason === 'removed' ? CLOSE.userRemoved : CLOSE.authFailed, event.reason === 'removed' ? 'user removed from the configuration' : 'credentials changed; log in again');
        }
        return;
      case 'config.changed': {
        const text = JSON.stringify({ type: 'config.changed', hash: event.hash, generation: event.generation });
        void inSlices([...this.connections()], (s) => s.conn.sendRaw(text));
        return;
      }
      default:
        return;
    }
  }

  #visitorsOf(room: Room): Iterable<VisitorSession> {
    const present = this.#visitors.get(room.v.token);
    return present === undefined ? [] : present instanceof Set ? present : [present];
  }

  #agentsSeeing(room: Room): AgentSession[] {
    if (this.#agentsByName.size === 0) return [];
    const seers = this.services.live.seersOf(room);
    if (seers === undefined) return this.#agentsWhere((a) => this.services.live.canSee(a.username, room));
    const audience: AgentSession[] = [];
    for (const username of seers) {
      const named = this.#agentsByName.get(username);
      if (named) for (const a of named) audience.push(a);
    }
    return audience;
  }

  #agentsWhere(test: (a: AgentSession) => boolean): AgentSession[] {
    const matching: AgentSession[] = [];
    for (const named of this.#agentsByName.values()) for (const a of named) if (test(a)) matching.push(a);
    return matching;
  }

  /** Whether the room, had it been queued, was in this agent's queue: they need to hear it left the queue. */
  #couldTake(username: string, room: Room): boolean {
    return this.services.live.canSee(username, { ...room, status: 'queued', servedBy: undefined });
  }

  #toVisitors(room: Room, frame: object): void {
    const text = JSON.stringify(frame);
    for (const v of this.#visitorsOf(room)) v.conn.sendRaw(text);
  }

  #toAgents(agents: readonly AgentSession[], frame: object): void {
    const text = JSON.stringify(frame);
    for (const a of agents) a.conn.sendRaw(text);
  }

  #roomsOfConnectedVisitors(): Room[] {
    return [...this.#visitors.keys()].map((token) => this.services.live.roomOfToken(token)).filter((r): r is Room => r !== undefined);
  }

  /** Sends each connected queued visitor their position when it changed. */
  #updateQueuePositions(): void {
    for (const present of this.#visitors.values()) {
      for (const v of present instanceof Set ? present : [present]) {
        const room = this.services.live.roomOfToken(v.token);
        if (!room) continue;
        const spot = this.services.live.queuePosition(room._id);
        if (spot === undefined || (v.lastSpot?.rid === room._id && v.lastSpot.spot === spot)) continue;
        v.lastSpot = { rid: room._id, spot };
        v.conn.send({ type: 'queue', rid: room._id, spot });
      }
    }
  }
}
