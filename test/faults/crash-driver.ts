/**
 * The crash loop's load: a few conversations at once, each a visitor (REST + /ws/visitor) and the agent routing gave
 * it (/ws/agent), exchanging messages and closing the chat, then starting another. Every step has a fixed id, so a
 * step cut by a kill is simply run again in the next cycle: messages with the same `_id` / `clientMsgId`, a close
 * only if the check did not find it applied. The driver pulls the trigger itself, from inside an acknowledgement,
 * after a random number of them: the kill lands while the other conversations have requests in flight.
 */
import { AgentClient as RealtimeAgent, VisitorClient as RealtimeVisitor, ServerError } from '../../src/client/index.js';
import { nodeSocket } from '../../src/client/node.js';
import { newVisitorToken, VisitorClient } from '../helpers/chat.js';
import type { Ledger, RoomEntry } from './crash-ledger.js';

export const AGENTS = ['alice', 'bob'] as const;
const SLOTS = 4;
/** Steps one conversation may take in one cycle, so a cycle ends even when the trigger count is not reached. */
const STEPS_PER_CYCLE = 40;

export type Random = () => number;

/** mulberry32: a seeded generator, so a failing run can be replayed with its seed. */
export function seeded(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One conversation: its current room and how far into it the driver got (carried over kills). */
interface Slot {
  token: string | null;
  room: RoomEntry | null;
  step: number;
  exchanges: number;
}

export class CrashDriver {
  readonly slots: Slot[] = Array.from({ length: SLOTS }, () => ({ token: null, room: null, step: 0, exchanges: 0 }));
  /** Answers the daemon gave that it should not have (a refused retry, an error while up): always a bug. */
  readonly refusals: string[] = [];
  /** Steps whose answer the kill cut off (run again next cycle): proof the kills land mid-request. */
  cut = 0;

  constructor(
    private readonly ledger: Ledger,
    private readonly random: Random,
  ) {}

  /**
   * Runs the conversations against the daemon at `url` until `kill` has been called (after `killAfter` acks) or
   * every conversation used its steps; `kill` is then called if it was not yet.
   */
  async cycle(url: string, killAfter: number, kill: () => void): Promise<void> {
    let dead = false;
    let acks = 0;
    const agents = new Map<string, RealtimeAgent>();
    const visitors: RealtimeVisitor[] = [];
    const pull = () => {
      if (dead) return;
      dead = true;
      kill();
      // Pending WS requests reject ("channel closed"); their steps are unknown and run again next cycle.
      for (const client of [...agents.values(), ...visitors]) client.disconnect();
    };
    const acked = () => {
      this.ledger.acks++;
      if (++acks >= killAfter) pull();
    };
    const listen = (client: RealtimeVisitor) => {
      if (dead) return;
      visitors.push(client);
      client.connect().catch(() => undefined);
    };
    if (killAfter === 0) return pull();

    for (const name of AGENTS) {
      const agent = new RealtimeAgent({ server: url, socket: nodeSocket, backoff: { baseMs: 20, maxMs: 200 } });
      await agent.login(name, 'pw');
      await agent.connect();
      agents.set(name, agent);
    }
    const step = async (slot: Slot): Promise<void> => {
      for (let n = 0; n < STEPS_PER_CYCLE && !dead; n++) {
        try {
          await this.#advance(url, slot, agents, listen, acked);
        } catch (err) {
          if (dead && isCutByKill(err)) {
            this.cut++;
            return; // unknown outcome: the same step runs again next cycle
          }
          this.refusals.push(`${slot.room?.rid ?? 'new room'} step ${slot.step}: ${String(err)}`);
          return;
        }
      }
    };
    await Promise.all(this.slots.map(step));
    pull();
  }

  /** One step of a conversation: open a room, a visitor message, an agent reply, or the close. */
  async #advance(url: string, slot: Slot, agents: Map<string, RealtimeAgent>, listen: (v: RealtimeVisitor) => void, acked: () => void): Promise<void> {
    if (!slot.room) return this.#open(url, slot, listen, acked);
    const room = slot.room;
    if (this.ledger.closed(room)) return this.#next(slot);
    const exchange = Math.floor(slot.step / 2);
    if (exchange < slot.exchanges) {
      const id = `${room.rid}-${slot.step % 2 === 0 ? 'v' : 'a'}${exchange}`;
      this.ledger.record(id, room.rid, 'unknown');
      if (slot.step % 2 === 0) {
        const reply = await new VisitorClient(url, room.token).send(room.rid, `visitor ${exchange}`, id);
        if (reply.status !== 200 || reply.body.message._id !== id) throw new Error(`send answered ${reply.status} ${JSON.stringify(reply.body)}`);
      } else {
        const ack = await agents.get(room.agent)!.send(room.rid, `agent ${exchange}`, id);
        if (ack._id !== id) throw new Error(`ack carries ${String(ack._id)}, not ${id}`);
      }
      this.ledger.record(id, room.rid, 'acked');
      slot.step++;
      return acked();
    }
    room.close = 'unknown';
    if (this.random() < 0.5) {
      const reply = await new VisitorClient(url, room.token).close(room.rid);
      if (reply.status !== 200) throw new Error(`close answered ${reply.status} ${JSON.stringify(reply.body)}`);
    } else {
      await agents.get(room.agent)!.close(room.rid);
    }
    room.close = 'acked';
    acked();
    this.#next(slot);
  }

  /** Registers (a new visitor, or the same one again for a second chat) and opens a room; both are idempotent. */
  async #open(url: string, slot: Slot, listen: (v: RealtimeVisitor) => void, acked: () => void): Promise<void> {
    slot.token ??= newVisitorToken();
    const visitor = new VisitorClient(url, slot.token);
    const registered = await visitor.register({ name: 'Crash Test' });
    if (registered.status !== 200) throw new Error(`register answered ${registered.status} ${JSON.stringify(registered.body)}`);
    const opened = await visitor.room();
    if (opened.status !== 200) throw new Error(`room answered ${opened.status} ${JSON.stringify(opened.body)}`);
    const { _id: rid, servedBy } = opened.body.room;
    if (!servedBy) throw new Error(`room ${rid} was not routed to an agent`);
    const room = this.ledger.rooms.get(rid) ?? { rid, token: slot.token, agent: servedBy.username, close: 'none' as const };
    this.ledger.rooms.set(rid, room);
    Object.assign(slot, { room, step: 0, exchanges: 1 + Math.floor(this.random() * 3) });
    acked();
    // The visitor also listens, as the widget does; its socket only has to come and go with the daemon.
    listen(new RealtimeVisitor({ server: url, token: slot.token, socket: nodeSocket, backoff: { baseMs: 20, maxMs: 200 } }));
  }

  #next(slot: Slot): void {
    slot.room = null;
    if (this.random() < 0.5) slot.token = null; // half the time a new visitor; otherwise the same one chats again
  }
}

/** Errors that mean "no answer came" (the process died), as opposed to an answer that refused. */
function isCutByKill(err: unknown): boolean {
  if (err instanceof ServerError) return err.code === 'connection-lost';
  const text = `${String(err)} ${String((err as { cause?: unknown })?.cause ?? '')}`;
  return /fetch failed|channel closed|ECONNRESET|ECONNREFUSED|socket hang up|other side closed|terminated/i.test(text);
}
