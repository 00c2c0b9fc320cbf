/**
 * Per-request state. The configuration snapshot is taken once when the request arrives, so a reload committed
 * while the request runs cannot give it half of one configuration and half of the next.
 */
import type Koa from 'koa';
import type { ConfigSnapshot } from '../config/index.js';
import type { ConfigCoordinator } from '../config/coordinator.js';

export interface RequestState {
  config: ConfigSnapshot;
}

export function snapshotPerRequest(config: ConfigCoordinator): Koa.Middleware<RequestState> {
  return (ctx, next) => {
    ctx.state.config = config.current();
    return next();
  };
}
