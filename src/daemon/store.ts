/** Chooses the store driver; the only daemon file that knows drivers exist. */
import type { Store } from '../domain/ports/store.js';
import { openLevelStore } from '../store/level/index.js';
import { createMemoryStore } from '../store/memory/index.js';
import type { Logger } from '../telemetry/logger.js';

export type StoreChoice = 'level' | 'memory';

/**
 * A write failure (disk full) suspends the level store's writes until it could reopen the directory; both edges
 * are logged, since they are what an operator needs to see (see README → Operations, "Disk full").
 */
export async function openStore(choice: StoreChoice, dataDir: string, logger: Logger): Promise<Store> {
  if (choice === 'memory') return createMemoryStore();
  return openLevelStore(dataDir, {
    onStatus(status) {
      if (status.writable) logger.warn({ dataDir }, 'store reopened; writes accepted again');
      else logger.error({ dataDir, reason: status.reason }, 'store write failed; writes refused until the data directory can be written again');
    },
  });
}
