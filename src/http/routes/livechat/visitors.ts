/** `livechat/visitor*`: registration (upsert by token), lookup, removal and presence. */
import Router from '@koa/router';
import type { CustomFieldInput } from '../../../services/api.js';
import type { HttpDeps } from '../../deps.js';
import { ok, presentVisitor } from '../../presenters.js';
import { body, validate } from '../../request.js';

interface RegisterBody {
  visitor: { token: string; name?: string; email?: string; department?: string; phone?: string; customFields?: CustomFieldInput[] };
}

export function visitorRoutes(router: Router, deps: HttpDeps): void {
  router.post('/visitor', async (ctx) => {
    const { visitor: input } = await body<RegisterBody>(ctx, 'livechat.json#/definitions/registerVisitor');
    const visitor = await deps.services.visitors.register({
      token: input.token,
      ...(input.name !== undefined && { name: input.name }),
      ...(input.email !== undefined && { email: input.email }),
      ...(input.department !== undefined && input.department !== '' && { department: input.department }),
      ...(input.phone !== undefined && { phone: input.phone }),
      ...(input.customFields !== undefined && { customFields: input.customFields }),
      ip: ctx.ip,
      ...(ctx.get('user-agent') && { userAgent: ctx.get('user-agent').slice(0, 512) }),
      ...(ctx.get('origin') && { host: ctx.get('origin').slice(0, 256) }),
    });
    ctx.body = ok({ visitor: presentVisitor(visitor) });
  });

  router.get('/visitor/:token', async (ctx) => {
    const token = validate<string>('livechat.json#/definitions/token', ctx.params.token);
    ctx.body = ok({ visitor: presentVisitor(await deps.services.visitors.require(token)) });
  });

  router.delete('/visitor/:token', async (ctx) => {
    const token = validate<string>('livechat.json#/definitions/token', ctx.params.token);
    const visitor = await deps.services.visitors.remove(token);
    ctx.body = ok({ visitor: { _id: visitor._id, ts: visitor.ts } });
  });

  router.post('/visitor.status', async (ctx) => {
    const { token, status } = await body<{ token: string; status: 'online' | 'away' | 'offline' | 'busy' }>(ctx, 'livechat.json#/definitions/visitorStatus');
    await deps.services.visitors.setStatus(token, status === 'busy' ? 'away' : status);
    ctx.body = ok({ token, status });
  });
}
