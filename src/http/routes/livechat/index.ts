/**
 * The Rocket.Chat-compatible visitor API under `/api/v1/livechat/`. Each route reads top to bottom: validate the
 * request against schemas/http, call one service, present the result.
 */
import Router from '@koa/router';
import type { HttpDeps } from '../../deps.js';
import { extraRoutes } from './extras.js';
import { messageRoutes } from './messages.js';
import { roomRoutes } from './rooms.js';
import { visitorRoutes } from './visitors.js';

export function livechatRoutes(deps: HttpDeps): Router {
  const router = new Router({ prefix: '/api/v1/livechat' });
  visitorRoutes(router, deps);
  roomRoutes(router, deps);
  messageRoutes(router, deps);
  extraRoutes(router, deps);
  return router;
}
