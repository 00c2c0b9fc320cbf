/**
 * Rocket.Chat's "max queue wait time": a chat left in the queue longer than `livechat.queueTimeoutSeconds` is
 * closed by the system (closer `system`, a `livechat-close` message). The close is an ordinary close, so the
 * visitor hears `room.closed` and `LivechatSession` is delivered.
 *
 * Deadlines are derived, never stored: the queue time the room already holds (`queuedAt`) plus the timeout read
 * from the active config. So a restart resumes them (`start` checks at once: what expired while the daemon was
 * down closes then) and a reload that changes the timeout applies to chats already waiting. One timer, set for
 * the earliest deadline, re-planned when a room is queued, served or closed and when the config changes.
 *
 * A chat that was served and went back to the queue (its agent left) waits anew from then: the router keeps the
 * original `queuedAt` for queue order, so that moment is taken from the `room.queued` event. It is known only to
 * this process; after a restart such a chat counts from its first queueing again.
 */
import { isAppError } from '../domain/errors.js';
import type { DomainEvent } from '../domain/events.js';
import type { MessageUser } from '../domain/message.js';
import type { Room } from '../domain/room.js';
import type { ChatState } from './chat-state.js';
import type { ServiceDeps } from './context.js';
import type { Rooms } from './rooms.js';

/**
 * Who closes: the closing message's author and `closedBy`. A leading "_" is outside the config's username pattern,
 * so no agent can share this id (agents' ids are their usernames, and webhooks send it as `agentId`).
 */
const SYSTEM_USER: MessageUser = { _id: '_system', username: '_system', name: 'System' };
const QUEUE_TIMEOUT_COMMENT = 'Closed automatically: no agent was available in time';
/** After an unexpected failure (the store), that room's next try waits this long instead of spinning on its deadline. */
const RETRY_MS = 5_000;
const MAX_TIMER_MS = 2 ** 31 - 1;
const REPLAN_ON = new Set<DomainEvent['type']>(['room.queued', 'room.assigned', 'room.closed', 'config.changed']);

export class QueueTimeout {
  #timer: NodeJS.Timeout | undefined;
  #running = false;
  #sweeping: Promise<void> | undefined;
  #unsubscribe: (() => void) | undefined;
  /** Rooms seen served in this process, and when those that went back to the queue did. */
  readonly #served = new Set<string>();
  readonly #requeuedAt = new Map<string, number>();
  /** Rooms whose close failed unexpectedly, and when to try them again. */
  readonly #notBefore = new Map<string, number>();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly state: ChatState,
    private readonly rooms: Rooms,
  ) {}

  /** Call after the chat state is loaded: closes what expired while the daemon was down, then plans. */
  start(): void {
    this.#running = true;
    for (const room of this.state.all()) if (room.status === 'served') this.#served.add(room._id);
    this.#unsubscribe = this.deps.bus.subscribe((event) => this.#observe(event));
    this.#wake();
  }

  stop(): void {
    this.#running = false;
    this.#unsubscribe?.();
    clearTimeout(this.#timer);
  }

  /** When `room` times out (epoch ms), or undefined when the timeout is off or the room is not queued. */
  deadlineOf(room: Room): number | undefined {
    const seconds = this.deps.config().livechat.queueTimeoutSeconds;
    if (seconds <= 0 || room.status !== 'queued') return undefined;
    const since = Math.max(Date.parse(room.queuedAt ?? room.ts), this.#requeuedAt.get(room._id) ?? 0);
    return since + seconds * 1000;
  }

  #observe(event: DomainEvent): void {
    if (event.type === 'room.assigned') this.#served.add(event.room._id);
    if (event.type === 'room.queued' && this.#served.has(event.room._id)) this.#requeuedAt.set(event.room._id, Date.parse(event.room._updatedAt));
    if (event.type === 'room.closed') {
      this.#served.delete(event.room._id);
      this.#requeuedAt.delete(event.room._id);
      this.#notBefore.delete(event.room._id);
    }
    if (REPLAN_ON.has(event.type)) this.#wake();
  }

  /** Sweeps now; sweeps never overlap (a wake during one is covered by the plan it ends with). */
  #wake(): void {
    if (!this.#running || this.#sweeping) return;
    this.#sweeping = this.#sweep().finally(() => (this.#sweeping = undefined));
  }

  async #sweep(): Promise<void> {
    for (const room of this.state.queue()) {
      const due = this.#dueAt(room);
      if (due === undefined || due > this.deps.now().getTime()) continue;
      if (!this.#running) return;
      if (!this.deps.store.ready) {
        // Writes are suspended (disk full): look again later; the deadline is past, so a plan would spin.
        clearTimeout(this.#timer);
        this.#timer = setTimeout(() => this.#wake(), RETRY_MS).unref();
        return;
      }
      try {
        // Only if it is still queued past its deadline when the close is decided: an agent may take it meanwhile.
        await this.rooms.close(room, { by: 'system', user: SYSTEM_USER, comment: QUEUE_TIMEOUT_COMMENT }, (current) => {
          const deadline = this.deadlineOf(current);
          return deadline !== undefined && deadline <= this.deps.now().getTime();
        });
      } catch (err) {
        // Taken or closed meanwhile: it has left the queue. Anything else (the store): try again a little later.
        if (!isAppError(err, 'forbidden') && !isAppError(err, 'room-closed')) this.#notBefore.set(room._id, this.deps.now().getTime() + RETRY_MS);
      }
    }
    this.#plan();
  }

  /** The deadline, or the retry time of a room whose close failed, whichever is later. */
  #dueAt(room: Room): number | undefined {
    const deadline = this.deadlineOf(room);
    return deadline === undefined ? undefined : Math.max(deadline, this.#notBefore.get(room._id) ?? 0);
  }

  /** One timer, for the earliest deadline still ahead. */
  #plan(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.#running) return;
    let next = Infinity;
    for (const room of this.state.queue()) next = Math.min(next, this.#dueAt(room) ?? Infinity);
    if (next === Infinity) return;
    this.#timer = setTimeout(() => this.#wake(), Math.min(Math.max(0, next - this.deps.now().getTime()), MAX_TIMER_MS));
    this.#timer.unref();
  }
}
