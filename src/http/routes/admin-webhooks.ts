/**
 * Webhook dead letters for operators (managers only; `Authorization: Bearer <agent session token>`):
 *   GET  /api/v1/admin/webhooks/failed                    → { success, failed: [summary...] }
 *   POST /api/v1/admin/webhooks/failed/:id/redeliver      → { success, redelivered: summary }
 *   POST /api/v1/admin/webhooks/failed/redeliver          → { success, redelivered: [ids], skipped: [{id, reason}] }
 * Summaries name the webhook by id and never carry its URL or secret, nor the payload (visitors' data).
 */
import Router from '@koa/router';
import { AppError } from '../../domain/errors.js';
import type { HttpDeps } from '../deps.js';

const JOB_ID = /^[A-Za-z0-9_-]{1,100}$/;

export function adminWebhookRoutes(deps: HttpDeps): Router {
  const router = new Router({ prefix: '/api/v1/admin/webhooks' });
  router.use(async (ctx, next) => {
    const token = /^Bearer (.+)$/.exec(ctx.get('authorization'))?.[1];
    const username = token === undefined ? undefined : authenticate(deps, token);
    if (username === undefined) throw new AppError('unauthorized', 'Not logged in');
    if (deps.config.current().users[username]?.role !== 'manager') throw new AppError('forbidden', 'Managers only');
    await next();
  });

  const deadLetters = () => {
    if (!deps.webhooks) throw new AppError('not-found', 'Webhooks are not running');
    return deps.webhooks.deadLetters;
  };

  router.get('/failed', async (ctx) => {
    ctx.body = { success: true, failed: await deadLetters().list() };
  });

  router.post('/failed/redeliver', async (ctx) => {
    ctx.body = { success: true, ...(await deadLetters().redeliverAll()) };
  });

  router.post('/failed/:id/redeliver', async (ctx) => {
    const id = ctx.params.id ?? '';
    if (!JOB_ID.test(id)) throw new AppError('not-found', 'No such dead letter');
    ctx.body = { success: true, redelivered: await deadLetters().redeliver(id) };
  });

  return router;
}

function authenticate(deps: HttpDeps, token: string): string | undefined {
  try {
    return deps.services.agents.authenticate(token);
  } catch {
    return undefined;
  }
}
