/**
 * The event-bus port: services publish domain events after their batch is durable; realtime and webhooks
 * subscribe. Delivery is in publish order per subscriber. A subscriber that throws never affects the publisher
 * or other subscribers. The in-process driver is in src/bus/; a multi-node driver would implement the same port.
 */
import type { DomainEvent } from '../events.js';

export type EventHandler = (event: DomainEvent) => void;

export interface EventBus {
  publish(event: DomainEvent): void;
  /** Returns the function that unsubscribes. */
  subscribe(handler: EventHandler): () => void;
}
