/** `livechat/config`, `offline.message`, `page.visited`, `custom.field(s)`. */
import Router from '@koa/router';
import type { CustomFieldInput, PageInfo } from '../../../services/api.js';
import type { HttpDeps } from '../../deps.js';
import { ok } from '../../presenters.js';
import { body } from '../../request.js';
import { withMessage } from './rooms.js';

export function extraRoutes(router: Router, deps: HttpDeps): void {
  const { services } = deps;

  router.get('/config', async (ctx) => {
    // The widget always sends its token; an unknown or malformed one simply gets the config without guest data.
    const raw = typeof ctx.query.token === 'string' ? ctx.query.token : undefined;
    const token = raw !== undefined && /^[A-Za-z0-9_-]{16,128}$/.test(raw) ? raw : undefined;
    ctx.body = ok({ config: await services.widgetConfig(token === undefined ? {} : { token }) });
  });

  router.post('/offline.message', async (ctx) => {
    const input = await body<{ name: string; email: string; message: string; department?: string; host?: string }>(ctx, 'livechat.json#/definitions/offlineMessage');
    try {
      await services.offline.send(input);
    } catch (err) {
      throw withMessage(err);
    }
    ctx.body = ok({ message: 'Livechat offline message sent' });
  });

  router.post('/page.visited', async (ctx) => {
    const input = await body<{ token: string; rid?: string; pageInfo: PageInfo }>(ctx, 'livechat.json#/definitions/pageVisited');
    const page = await services.pages.visited(input);
    ctx.body = ok(page ? { page } : {});
  });

  router.post('/custom.field', async (ctx) => {
    const input = await body<{ token: string } & CustomFieldInput>(ctx, 'livechat.json#/definitions/setCustomField');
    const field = await services.customFields.set(input);
    ctx.body = ok({ field: { key: field.key, value: field.value, overwrite: field.overwrite } });
  });

  router.post('/custom.fields', async (ctx) => {
    const input = await body<{ token: string; customFields: CustomFieldInput[] }>(ctx, 'livechat.json#/definitions/setCustomFields');
    const fields = await services.customFields.setMany(input);
    // `Key` with a capital K is what Rocket.Chat answers; clients written against it read that spelling.
    ctx.body = ok({ fields: fields.map((f) => ({ Key: f.key, value: f.value, overwrite: f.overwrite })) });
  });

}
