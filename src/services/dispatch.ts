/**
 * Commits a room change together with the routing it caused, and rolls the in-memory state back when the batch
 * fails, so the view never claims what the store does not hold.
 */
import type { DomainEvent } from '../domain/events.js';
import type { Room } from '../domain/room.js';
import type { BatchOp } from '../domain/ports/store.js';
import type { ChatState } from './chat-state.js';
import { commit, type ServiceDeps } from './context.js';
import type { Router } from './router.js';

/** A room as a change found it and as it left it in the state. */
export interface RoomChange {
  before: Room;
  after: Room;
}

export class Dispatcher {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly state: ChatState,
    private readonly router: Router,
  ) {}

  /**
   * Writes `ops` and publishes `events`. `touched` are the rooms the change put into the state (`after`) with
   * their versions before it, or the id of a room it created; if the write fails, each is restored
   * (ChatState.restore says when it is not).
   */
  async apply(touched: readonly (RoomChange | { absent: string })[], ops: BatchOp[], events: DomainEvent[]): Promise<void> {
    try {
      await commit(this.deps, ops, events);
    } catch (err) {
      for (const change of touched) {
        if ('absent' in change) {
          const now = this.state.get(change.absent);
          if (now) this.state.set({ ...now, open: false });
        } else this.state.restore(change.after, change.before);
      }
      throw err;
    }
  }

  /** Hands queued rooms to agents with free capacity. Call after anything that may free or add capacity. */
  async drain(): Promise<void> {
    const routed = this.router.drainQueue();
    if (routed.length === 0) return;
    try {
      await commit(
        this.deps,
        routed.flatMap((r) => r.ops),
        routed.flatMap((r) => r.events),
      );
    } catch (err) {
      for (const r of routed.reverse()) r.undo();
      throw err;
    }
  }
}
