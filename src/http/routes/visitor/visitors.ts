/**
 * `livechat/visitor*`: registration (an upsert by token), lookup, removal and presence; and what a visitor tells
 * us about themselves afterwards: custom fields and the pages they visit.
 */
import type { ChatServices, CustomFieldInput, PageInfo } from '../../../services/api.js';
import { jsonBody } from '../../body.js';
import { ok, presentVisitor } from '../../presenters.js';
import { schema } from '../../validate.js';
import { param, type VisitorRouter } from './common.js';

interface RegisterBody {
  /** Unknown keys (sites pass registerGuest() data through) are tolerated by the schema and ignored here. */
  visitor: { token: string; name?: string | null; email?: string | null; department?: string | null; phone?: string | null; customFields?: CustomFieldInput[] | null };
}
interface StatusBody {
  token: string;
  status: 'online' | 'away' | 'busy' | 'offline';
}
interface PageVisitedBody {
  token: string;
  rid?: string | null;
  pageInfo: PageInfo;
}

const registerBody = schema<RegisterBody>('livechat.json#/definitions/registerVisitor');
const deleteBody = schema<object>('livechat.json#/definitions/deleteVisitor');
const statusBody = schema<StatusBody>('livechat.json#/definitions/visitorStatus');
const customFieldBody = schema<{ token: string } & CustomFieldInput>('livechat.json#/definitions/setCustomField');
const customFieldsBody = schema<{ token: string; customFields: CustomFieldInput[] }>('livechat.json#/definitions/setCustomFields');
const pageVisitedBody = schema<PageVisitedBody>('livechat.json#/definitions/pageVisited');

/** Request facts recorded with a registration; bounded, since they come from headers anyone can write. */
const HEADER_MAX = 512;

export function visitorRoutes(router: VisitorRouter, services: ChatServices): void {
  router.post('/visitor', async (ctx) => {
    const { visitor: input } = await jsonBody(ctx, registerBody);
    const userAgent = ctx.get('user-agent').slice(0, HEADER_MAX);
    // The site the widget runs on: the Origin of the call, else the Host it was addressed to.
    const host = (ctx.get('origin') || ctx.host).slice(0, HEADER_MAX);
    const visitor = await services.visitors.register({
      token: input.token,
      ...(input.name != null && { name: input.name }),
      ...(input.email != null && { email: input.email }),
      // The widget sends "" when no department was chosen.
      ...(input.department != null && input.department !== '' && { department: input.department }),
      ...(input.phone != null && { phone: input.phone }),
      ...(input.customFields != null && { customFields: input.customFields }),
      ip: ctx.ip, // honours server.trustProxy through app.proxy
      ...(userAgent !== '' && { userAgent }),
      ...(host !== '' && { host }),
    });
    ctx.body = ok({ visitor: presentVisitor(visitor) });
  });

  router.get('/visitor/:token', async (ctx) => {
    const token = param(ctx, 'token');
    ctx.body = ok({ visitor: presentVisitor(await services.visitors.require(token)) });
  });

  router.delete('/visitor/:token', async (ctx) => {
    const token = param(ctx, 'token');
    await jsonBody(ctx, deleteBody);
    const visitor = await services.visitors.remove(token);
    ctx.body = ok({ visitor: { _id: visitor._id, ts: visitor.ts } });
  });

  router.post('/visitor.status', async (ctx) => {
    const { token, status } = await jsonBody(ctx, statusBody);
    // Rocket.Chat's user statuses include busy; a visitor who is busy is, for us, away.
    await services.visitors.setStatus(token, status === 'busy' ? 'away' : status);
    ctx.body = ok({ token, status });
  });

  router.post('/custom.field', async (ctx) => {
    const { token, key, value, overwrite } = await jsonBody(ctx, customFieldBody);
    const field = await services.customFields.set({ token, key, value, overwrite });
    ctx.body = ok({ field: { key: field.key, value: field.value, overwrite: field.overwrite } });
  });

  router.post('/custom.fields', async (ctx) => {
    const input = await jsonBody(ctx, customFieldsBody);
    const fields = await services.customFields.setMany(input);
    // `Key` with a capital K is what Rocket.Chat answers (a typo clients are written against).
    ctx.body = ok({ fields: fields.map((f) => ({ Key: f.key, value: f.value, overwrite: f.overwrite })) });
  });

  router.post('/page.visited', async (ctx) => {
    const { token, rid, pageInfo } = await jsonBody(ctx, pageVisitedBody);
    // location is a clone of document.location; only href is kept.
    const page: PageInfo = { change: pageInfo.change, title: pageInfo.title, location: { href: pageInfo.location.href } };
    const visited = await services.pages.visited({ token, pageInfo: page, ip: ctx.ip, ...(rid != null && { rid }) });
    ctx.body = ok(visited ? { page: visited } : {});
  });
}
