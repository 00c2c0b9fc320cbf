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
   * Writes `ops` and publishes `events`. `touched` are the rooms the change made (`after`, as it put them into the
   * state) with their versions before it, or the id of a room it created; if the write fails, each goes back to
   * `before` — unless another change has been made to the room since. That one was built on this version, took the
   * seqs after this one's and may already be written: rolling back under it would hand those seqs out again and
   * overwrite its messages. The view then keeps what this change claimed (for a plain message, a gap in the seqs,
   * which is harmless — room-log.ts); a restart reads the rooms back from the store.
   */
  async apply(touched: readonly (RoomChange | { absent: string })[], ops: BatchOp[], events: DomainEvent[]): Promise<void> {
    try {
      await commit(this.deps, ops, events);
    } catch (err) {
      for (const change of touched) {
        if ('absent' in change) {
          const now = this.state.get(change.absent);
          if (now) this.state.set({ ...now, open: false });
        } else if (this.#unchangedSince(change.after)) this.state.set(change.before);
      }
      throw err;
    }
  }

  /** Whether the state still holds the room as `after` left it (a closed room is no longer held at all). */
  #unchangedSince(after: Room): boolean {
    const now = this.state.get(after._id);
    return after.open ? now === after : now === undefined;
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
