/**
 * The Rocket.Chat-compatible visitor API under `/api/v1/livechat/` (spec/rocketchat-compat.md §1). Every route
 * reads top to bottom: validate the request against schemas/http, call one service, present the result.
 */
import Router from '@koa/router';
import type { ChatServices } from '../../../services/api.js';
import type { RequestState } from '../../state.js';
import { configRoutes } from './config.js';
import { messageRoutes } from './messages.js';
import { offlineRoutes } from './offline.js';
import { roomRoutes } from './rooms.js';
import { uploadRoutes } from './upload.js';
import { visitorRoutes } from './visitors.js';

export function livechatRoutes(services: ChatServices): Router<RequestState> {
  const router = new Router<RequestState>({ prefix: '/api/v1/livechat' });
  configRoutes(router, services);
  visitorRoutes(router, services);
  roomRoutes(router, services);
  messageRoutes(router, services);
  offlineRoutes(router, services);
  uploadRoutes(router);
  return router;
}
