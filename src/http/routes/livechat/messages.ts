/** `livechat/message*` and `messages.history`: a visitor's messages. */
import Router from '@koa/router';
import { AppError } from '../../../domain/errors.js';
import type { HttpDeps } from '../../deps.js';
import { ok } from '../../presenters.js';
import { body, query, validate } from '../../request.js';

export function messageRoutes(router: Router, deps: HttpDeps): void {
  const { messages } = deps.services;

  router.post('/message', async (ctx) => {
    const input = await body<{ token: string; rid: string; msg: string; _id?: string }>(ctx, 'livechat.json#/definitions/postMessage');
    const message = await messages.post({ token: input.token, rid: input.rid, msg: input.msg, ...(input._id !== undefined && { _id: input._id }) });
    ctx.body = ok({ message });
  });

  router.get('/message/:id', async (ctx) => {
    const id = validate<string>('livechat.json#/definitions/id', ctx.params.id);
    const q = query<{ token: string; rid?: string }>(ctx, 'livechat.json#/definitions/messageQuery');
    ctx.body = ok({ message: await messages.get({ token: q.token, id, ...(q.rid !== undefined && { rid: q.rid }) }) });
  });

  router.put('/message/:id', async (ctx) => {
    const id = validate<string>('livechat.json#/definitions/id', ctx.params.id);
    const input = await body<{ token: string; rid: string; msg: string }>(ctx, 'livechat.json#/definitions/editMessage');
    ctx.body = ok({ message: await messages.edit({ ...input, id }) });
  });

  router.delete('/message/:id', async (ctx) => {
    const id = validate<string>('livechat.json#/definitions/id', ctx.params.id);
    const input = await body<{ token: string; rid: string }>(ctx, 'livechat.json#/definitions/deleteMessage');
    const message = await messages.remove({ ...input, id });
    ctx.body = ok({ message: { _id: message._id, ts: message.ts } });
  });

  router.get('/messages.history/:rid', async (ctx) => {
    const rid = validate<string>('livechat.json#/definitions/id', ctx.params.rid);
    const q = query<{ token?: string; limit?: string; ls?: string; end?: string }>(ctx, 'livechat.json#/definitions/historyQuery');
    if (q.token === undefined) throw new AppError('error-token-param-not-provided', 'The required "token" query param is missing.');
    const limit = Math.min(100, Math.max(1, Number(q.limit ?? 20)));
    const list = await messages.history({ token: q.token, rid, limit, ...(q.ls !== undefined && { ls: q.ls }), ...(q.end !== undefined && { end: q.end }) });
    ctx.body = ok({ messages: list });
  });
}
