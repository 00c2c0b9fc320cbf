/**
 * Prometheus metrics. Each daemon owns its registry (no global state), so several daemons can run in one
 * process — the tests rely on that.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  readonly configLastReloadSuccessful: Gauge;
  readonly configLastReloadSuccessTimestamp: Gauge;
  readonly configInfo: Gauge<'hash'>;
  readonly configGeneration: Gauge;
  readonly configReloads: Counter<'outcome'>;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    configLastReloadSuccessful: new Gauge({
      name: 'livechat_config_last_reload_successful',
      help: 'Whether the last configuration reload attempt was successful (1) or not (0).',
      registers: [registry],
    }),
    configLastReloadSuccessTimestamp: new Gauge({
      name: 'livechat_config_last_reload_success_timestamp_seconds',
      help: 'Timestamp of the last successful configuration load.',
      registers: [registry],
    }),
    configInfo: new Gauge({
      name: 'livechat_config_info',
      help: 'The active configuration; the value is always 1, the hash label identifies it.',
      labelNames: ['hash'],
      registers: [registry],
    }),
    configGeneration: new Gauge({
      name: 'livechat_config_generation',
      help: 'How many configurations this daemon has committed, starting at 1.',
      registers: [registry],
    }),
    configReloads: new Counter({
      name: 'livechat_config_reloads_total',
      help: 'Configuration reload attempts by outcome (applied, unchanged, refused).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
  };
}
