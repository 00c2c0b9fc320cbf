import type { ConfigCoordinator } from '../config/coordinator.js';
import type { Store } from '../domain/ports/store.js';
import type { ChatServices } from '../services/api.js';
import type { Logger } from '../telemetry/logger.js';
import type { Metrics } from '../telemetry/metrics.js';
import type { Webhooks } from '../webhooks/index.js';

/** What the HTTP layer needs from the composition root. */
export interface HttpDeps {
  readonly config: ConfigCoordinator;
  readonly store: Store;
  readonly services: ChatServices;
  readonly metrics: Metrics;
  readonly logger: Logger;
  /** Dead letters for the admin API; absent where no webhooks run. */
  readonly webhooks?: Pick<Webhooks, 'deadLetters'>;
}
