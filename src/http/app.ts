/**
 * The Koa application. The only module tree that imports koa; it knows services and ports, never drivers.
 */
import Koa from 'koa';
import type { HttpDeps } from './deps.js';
import { errorMiddleware } from './errors.js';
import { healthRoutes } from './routes/health.js';

export function createHttpApp(deps: HttpDeps): Koa {
  const app = new Koa({ proxy: deps.config.current().server.trustProxy ?? false });
  // Koa would print errors to stderr itself; ours are logged (redacted) by the error middleware.
  app.silent = true;
  app.use(errorMiddleware(deps.logger));
  const health = healthRoutes(deps);
  app.use(health.routes());
  app.use(health.allowedMethods());
  return app;
}
