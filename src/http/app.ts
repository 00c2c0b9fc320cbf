/**
 * The Koa application. The only module tree that imports koa; it knows services and ports, never drivers.
 *
 * Order matters: errors are caught outermost (so every answer is JSON), then each request takes its config
 * snapshot, the path is normalised, CORS applies to the visitor API, and the routers answer. A path no router
 * knows, or a method a path does not take, is a JSON 404.
 */
import Koa from 'koa';
import compress from 'koa-compress';
import { visitorCors } from './cors.js';
import type { HttpDeps } from './deps.js';
import { errorMiddleware } from './errors.js';
import { adminConfigRoutes } from './routes/admin-config.js';
import { adminWebhookRoutes } from './routes/admin-webhooks.js';
import { agentRoutes } from './routes/agent.js';
import { healthRoutes } from './routes/health.js';
import { livechatRoutes } from './routes/visitor/index.js';
import { rocketchatWidgetRoutes } from './routes/rocketchat-widget.js';
import { widgetRoutes } from './routes/widget.js';
import { snapshotPerRequest } from './state.js';

export function createHttpApp(deps: HttpDeps): Koa {
  // server.* is static (a change needs a restart), so trustProxy is read once. With proxy on, ctx.ip is the
  // client from X-Forwarded-For; without it, forwarded headers are ignored and cannot be spoofed.
  // maxIpsCount 1: the client is the last X-Forwarded-For entry, the one the trusted proxy appended; entries
  // before it are whatever the client sent, and would let it choose its own rate-limit budget.
  const app = new Koa({ proxy: deps.config.current().server.trustProxy, maxIpsCount: 1 });
  // Koa would print errors to stderr itself; ours are logged (redacted) by the error middleware.
  app.silent = true;
  app.use(errorMiddleware(deps.logger));
  app.use(compressJson);
  app.use(snapshotPerRequest(deps.config));
  app.use(collapseSlashes);
  app.use(visitorCors());
  app.use(healthRoutes(deps).routes());
  app.use(livechatRoutes(deps.services).routes());
  app.use(agentRoutes(deps.services).routes());
  app.use(adminConfigRoutes(deps).routes());
  app.use(adminWebhookRoutes(deps).routes());
  // Before our widget: when appearance.widget names the official Rocket.Chat build, it answers /livechat*.
  app.use(rocketchatWidgetRoutes(deps).routes());
  app.use(widgetRoutes(deps).routes());
  return app;
}

/**
 * JSON answers of 1 KB and more go out gzipped when the client accepts it: the widget's config request is part of
 * every page view's weight. Smaller answers (messages, acks) are not worth the CPU; widget assets are stored
 * pre-compressed by widget.ts.
 */
const gzipJson = compress({ threshold: 1024, filter: (type) => /json/i.test(type), gzip: { level: 6 }, br: false, deflate: false });
/** Only reads answer with that much JSON; posts (messages, the hot path) skip the negotiation altogether. */
const compressJson: Koa.Middleware = (ctx, next) => (ctx.method === 'GET' ? gzipJson(ctx, next) : next());

/** A server URL with a trailing slash makes the SDK call `//api/v1/...` (spec §1.0); it is the same path. */
const collapseSlashes: Koa.Middleware = (ctx, next) => {
  if (ctx.path.includes('//')) ctx.path = ctx.path.replace(/\/{2,}/g, '/');
  return next();
};
