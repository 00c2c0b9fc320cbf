/**
 * What every service gets from the composition root: ports, the active config, a clock and id generation.
 * Services never hold a config snapshot across awaits they do not control; they call `config()` per operation,
 * so a reload applies to the next decision.
 */
import type { ConfigSnapshot } from '../config/index.js';
import type { DomainEvent } from '../domain/events.js';
import type { EventBus } from '../domain/ports/bus.js';
import type { OutboxPort } from '../domain/ports/outbox.js';
import type { BatchOp, Store } from '../domain/ports/store.js';

export interface ServiceDeps {
  store: Store;
  bus: EventBus;
  config: () => ConfigSnapshot;
  now: () => Date;
  newId: () => string;
  /** Webhook deliveries for the events of a batch (absent: no webhooks). */
  outbox?: OutboxPort;
}

/**
 * Writes `ops` — plus the webhook deliveries the events call for — as one atomic batch, then, only once durable,
 * publishes the events.
 */
export async function commit(deps: ServiceDeps, ops: readonly BatchOp[], events: readonly DomainEvent[] = []): Promise<void> {
  const deliveries = deps.outbox && events.length > 0 ? deps.outbox.opsFor(events) : [];
  await deps.store.batch(deliveries.length > 0 ? [...ops, ...deliveries] : ops);
  for (const event of events) deps.bus.publish(event);
}
