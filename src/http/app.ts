/**
 * The Koa application. The only module tree that imports koa; it knows services and ports, never drivers.
 */
import Koa from 'koa';
import { visitorCors, collapseSlashes } from './cors.js';
import type { HttpDeps } from './deps.js';
import { errorMiddleware } from './errors.js';
import { adminConfigRoutes } from './routes/admin-config.js';
import { agentRoutes } from './routes/agent.js';
import { healthRoutes } from './routes/health.js';
import { livechatRoutes } from './routes/livechat/index.js';

export function createHttpApp(deps: HttpDeps): Koa {
  const app = new Koa({ proxy: deps.config.current().server.trustProxy });
  // Koa would print errors to stderr itself; ours are logged (redacted) by the error middleware.
  app.silent = true;
  app.use(errorMiddleware(deps.logger));
  app.use(collapseSlashes());
  app.use(visitorCors(deps.config));
  for (const router of [healthRoutes(deps), livechatRoutes(deps), agentRoutes(deps), adminConfigRoutes(deps)]) {
    app.use(router.routes());
    app.use(router.allowedMethods());
  }
  return app;
}
