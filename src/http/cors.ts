/**
 * CORS for the visitor API only: SDKs and widgets loaded with `?serverUrl=` call it from other origins. The
 * allowed origins are `server.allowedOrigins` of the request's configuration snapshot; an empty list allows any
 * origin (Rocket.Chat's default), answered by reflecting it. The agent and admin APIs get no CORS headers at all,
 * so browsers keep other sites' pages away from them. No credentials: the visitor API authenticates by token.
 */
import cors from '@koa/cors';
import type Koa from 'koa';
import type { RequestState } from './state.js';

export const VISITOR_API_PREFIX = '/api/v1/livechat/';

export function visitorCors(): Koa.Middleware<RequestState> {
  const handler = cors({
    origin: (ctx) => {
      const origin = ctx.get('origin');
      const allowed = (ctx.state as RequestState).config.server.allowedOrigins;
      // '' tells @koa/cors to add no CORS headers: the browser then refuses the cross-origin call.
      return allowed.length === 0 || allowed.includes(origin) ? origin : '';
    },
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
    // The SDK sends Content-Type: application/json on every call and x-visitor-token on uploads (spec §1.0).
    allowHeaders: ['Content-Type', 'x-visitor-token'],
    maxAge: 600,
  });
  return (ctx, next) => (ctx.path.startsWith(VISITOR_API_PREFIX) ? handler(ctx, next) : next());
}
