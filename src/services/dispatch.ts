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

export class Dispatcher {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly state: ChatState,
    private readonly router: Router,
  ) {}

  /**
   * Writes `ops` and publishes `events`. `touched` are the rooms as they were before the change (undefined for
   * a room that did not exist), restored if the write fails.
   */
  async apply(touched: readonly (Room | { absent: string })[], ops: BatchOp[], events: DomainEvent[]): Promise<void> {
    try {
      await commit(this.deps, ops, events);
    } catch (err) {
      for (const before of touched) {
        if ('absent' in before) {
          const now = this.state.get(before.absent);
          if (now) this.state.set({ ...now, open: false });
        } else this.state.set(before);
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
