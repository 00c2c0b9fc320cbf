/** Chat services over the in-memory store, for unit tests of the engine without HTTP. */
import { fileURLToPath } from 'node:url';
import { createLocalBus } from '../../../src/bus/local.js';
import { loadConfig, type ConfigSnapshot } from '../../../src/config/index.js';
import type { DomainEvent } from '../../../src/domain/events.js';
import type { Store } from '../../../src/domain/ports/store.js';
import { randomId } from '../../../src/services/ids.js';
import { createChatServices, type ChatServices } from '../../../src/services/index.js';
import { createMemoryStore } from '../../../src/store/memory/index.js';

export async function fixtureConfig(name: string): Promise<ConfigSnapshot> {
  const result = await loadConfig(fileURLToPath(new URL(`../../fixtures/services/${name}`, import.meta.url)));
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.config;
}

export interface Harness {
  services: ChatServices;
  events: DomainEvent[];
  store: Store;
}

export async function harness(config: ConfigSnapshot, store: Store = createMemoryStore()): Promise<Harness> {
  const bus = createLocalBus((err) => {
    throw err;
  });
  const events: DomainEvent[] = [];
  bus.subscribe((e) => events.push(e));
  const services = createChatServices({ store, bus, config: () => config, now: () => new Date(), newId: () => randomId() });
  await services.start();
  return { services, events, store };
}

let n = 0;
export function visitorToken(): string {
  n += 1;
  return `visitor-token-${String(n).padStart(8, '0')}-${randomId(8)}`;
}

/** Registers a visitor and opens a room for them; returns who serves it (undefined when queued). */
export async function openChat(services: ChatServices): Promise<{ token: string; rid: string; servedBy?: string }> {
  const token = visitorToken();
  await services.visitors.register({ token, name: 'V' });
  const { room } = await services.rooms.openOrGet({ token });
  return { token, rid: room._id, ...(room.servedBy && { servedBy: room.servedBy.username }) };
}
