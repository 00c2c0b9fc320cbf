/**
 * CORS for the visitor API only (SDKs and widgets on other origins call it). `server.allowedOrigins` decides;
 * an empty list allows any origin. The agent and admin APIs never answer cross-origin requests.
 */
import cors from '@koa/cors';
import type Koa from 'koa';
import type { ConfigCoordinator } from '../config/coordinator.js';

export function visitorCors(config: ConfigCoordinator): Koa.Middleware {
  const handler = cors({
    origin: (ctx) => {
      const origin = ctx.get('origin');
      const allowed = config.current().server.allowedOrigins;
      return allowed.length === 0 || allowed.includes(origin) ? origin || '*' : '';
    },
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'x-visitor-token'],
    maxAge: 600,
  });
  return (ctx, next) => (ctx.path.startsWith('/api/v1/livechat/') ? handler(ctx, next) : next());
}

/** `//api/v1/...` from a server URL with a trailing slash is the same path (Rocket.Chat clients produce it). */
export function collapseSlashes(): Koa.Middleware {
  return (ctx, next) => {
    if (ctx.path.includes('//')) ctx.path = ctx.path.replace(/\/{2,}/g, '/');
    return next();
  };
}
