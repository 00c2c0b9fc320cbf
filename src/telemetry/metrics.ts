/**
 * Prometheus metrics. Each daemon owns its registry (no global state), so several daemons can run in one
 * process — the tests rely on that.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Metrics {
  readonly registry: Registry;
  readonly configLastReloadSuccessful: Gauge;
  readonly configLastReloadSuccessTimestamp: Gauge;
  readonly configInfo: Gauge<'hash'>;
  readonly configGeneration: Gauge;
  readonly configReloads: Counter<'outcome'>;
  readonly configReloadSeconds: Histogram;
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
    configReloadSeconds: new Histogram({
      name: 'livechat_config_reload_duration_seconds',
      help: 'How long reload attempts took, from reading the files to the end of applying them.',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  };
}
