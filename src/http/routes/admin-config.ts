/**
 * Configuration admin API (managers only): the active configuration (redacted), its hash, generation, load time
 * and last refused reload; and a reload through the same serialized pipeline as SIGHUP and the file watcher.
 */
import Router from '@koa/router';
import { redactConfig } from '../../config/diff.js';
import { AppError } from '../../domain/errors.js';
import type { HttpDeps } from '../deps.js';

export function adminConfigRoutes(deps: HttpDeps): Router {
  const router = new Router({ prefix: '/api/v1/admin' });
  router.use(async (ctx, next) => {
    const token = /^Bearer (.+)$/.exec(ctx.get('authorization'))?.[1];
    const username = token === undefined ? undefined : safeAuthenticate(deps, token);
    if (username === undefined) throw new AppError('unauthorized', 'Not logged in');
    if (deps.config.current().users[username]?.role !== 'manager') throw new AppError('forbidden', 'Managers only');
    await next();
  });

  router.get('/config', (ctx) => {
    const state = deps.config.state();
    ctx.body = {
      success: true,
      hash: state.config.hash,
      generation: state.generation,
      loadedAt: state.loadedAt.toISOString(),
      lastError: state.lastError,
      config: redactConfig(state.config, state.config.interpolatedPaths),
    };
  });

  router.post('/reload', async (ctx) => {
    // The request itself succeeds whatever the outcome; a refused reload reports its errors in the body.
    ctx.body = { success: true, ...(await deps.config.reload()) };
  });

  return router;
}

function safeAuthenticate(deps: HttpDeps, token: string): string | undefined {
  try {
    return deps.services.agents.authenticate(token);
  } catch {
    return undefined;
  }
}
