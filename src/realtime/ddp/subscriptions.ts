/**
 * The subscriptions of one DDP connection, by sub id. Duplicates are normal: the widget subscribes to
 * `stream-livechat-room` three times with identical params (one per handler it registers), and re-subscribes on
 * every history load. Each sub gets its own `ready`, but an event leaves once per connection: the client
 * dispatches on the collection alone, so every copy would reach every handler anyway (spec §2.3 allows this).
 */
import type { StreamKey, StreamName } from './streams.js';

export class Subscriptions {
  readonly #byId = new Map<string, StreamKey>();
  readonly #perRoom = new Map<string, number>();

  /** `watch`/`unwatch` run when this connection's first sub of a room appears and its last one goes. */
  constructor(
    private readonly watch: (rid: string) => void,
    private readonly unwatch: (rid: string) => void,
  ) {}

  /** A sub id used again replaces what it listened to (Meteor treats sub ids as the client's to reuse). */
  set(id: string, key: StreamKey): void {
    this.delete(id);
    this.#byId.set(id, key);
    const count = this.#perRoom.get(key.rid) ?? 0;
    this.#perRoom.set(key.rid, count + 1);
    if (count === 0) this.watch(key.rid);
  }

  delete(id: string): void {
    const key = this.#byId.get(id);
    if (!key) return;
    this.#byId.delete(id);
    const count = (this.#perRoom.get(key.rid) ?? 1) - 1;
    if (count > 0) return void this.#perRoom.set(key.rid, count);
    this.#perRoom.delete(key.rid);
    this.unwatch(key.rid);
  }

  clear(): void {
    for (const id of [...this.#byId.keys()]) this.delete(id);
  }

  get size(): number {
    return this.#byId.size;
  }

  has(id: string): boolean {
    return this.#byId.has(id);
  }

  /** Whether any sub listens to this (collection, eventName): only then may the frame be sent. */
  wants(collection: StreamName, eventName: string): boolean {
    for (const key of this.#byId.values()) if (key.collection === collection && key.eventName === eventName) return true;
    return false;
  }
}
