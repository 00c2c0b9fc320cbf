/**
 * Liveness, readiness and metrics. `/healthz` answers while the process serves HTTP at all; `/readyz` only when
 * the store is open and a configuration is loaded, so a load balancer stops sending visitors to a daemon that
 * cannot persist their messages: that includes a store whose writes are suspended after a failed write (disk full),
 * which keeps serving reads and becomes ready again by itself once it could reopen.
 */
import Router from '@koa/router';
import type { HttpDeps } from '../deps.js';

export function healthRoutes(deps: HttpDeps): Router {
  const router = new Router();

  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });

  router.get('/readyz', (ctx) => {
    const state = deps.config.state();
    const storeOpen = deps.store.ready;
    ctx.status = storeOpen ? 200 : 503;
    ctx.body = {
      status: storeOpen ? 'ready' : 'not-ready',
      store: storeOpen ? 'open' : 'unavailable',
      config: { hash: state.config.hash, generation: state.generation, loadedAt: state.loadedAt.toISOString() },
    };
  });

  router.get('/metrics', async (ctx) => {
    ctx.type = deps.metrics.registry.contentType;
    ctx.body = await deps.metrics.registry.metrics();
  });

  return router;
}
