/**
 * The outbox port: turns domain events into the ops that enqueue their webhook deliveries. Services append these
 * ops to the very batch that makes the change durable (transactional outbox), so an event is never committed
 * without its deliveries nor the other way round. It is synchronous on purpose: batches must be issued in the
 * order their changes were decided.
 */
import type { DomainEvent } from '../events.js';
import type { BatchOp } from './store.js';

export interface OutboxPort {
  opsFor(events: readonly DomainEvent[]): BatchOp[];
}
