/**
 * In-process event bus. Handlers run synchronously in subscription order so fan-out keeps the order in which
 * events were published (realtime relies on it: messages of a room leave in seq order). A failing handler is
 * reported and skipped; it cannot break the publisher.
 */
import type { DomainEvent } from '../domain/events.js';
import type { EventBus, EventHandler } from '../domain/ports/bus.js';

export function createLocalBus(onHandlerError: (err: unknown, event: DomainEvent) => void): EventBus {
  const handlers = new Set<EventHandler>();
  return {
    publish(event) {
      for (const handler of handlers) {
        try {
          handler(event);
        } catch (err) {
          onHandlerError(err, event);
        }
      }
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
  };
}
