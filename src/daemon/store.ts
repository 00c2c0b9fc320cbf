/** Chooses the store driver; the only daemon file that knows drivers exist. */
import type { Store } from '../domain/ports/store.js';
import { openLevelStore } from '../store/level/index.js';
import { createMemoryStore } from '../store/memory/index.js';

export type StoreChoice = 'level' | 'memory';

export async function openStore(choice: StoreChoice, dataDir: string): Promise<Store> {
  return choice === 'memory' ? createMemoryStore() : openLevelStore(dataDir);
}
