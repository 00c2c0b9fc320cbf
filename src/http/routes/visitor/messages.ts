/**
 * `livechat/message*` and `messages.history`: a visitor's messages in their own room.
 */
import { AppError } from '../../../domain/errors.js';
import type { ChatServices } from '../../../services/api.js';
import { jsonBody } from '../../body.js';
import { ok, presentMessageForVisitor } from '../../presenters.js';
import { queryOf, schema } from '../../validate.js';
import { param, type VisitorRouter } from './common.js';

interface PostBody {
  token: string;
  rid: string;
  msg: string;
  _id?: string | null;
}
interface HistoryQuery {
  token?: string;
  limit?: string;
  ls?: string;
  end?: string;
}

const postBody = schema<PostBody>('livechat.json#/definitions/postMessage');
const messageQuery = schema<{ token: string; rid?: string }>('livechat.json#/definitions/messageQuery');
const editBody = schema<{ token: string; rid: string; msg: string }>('livechat.json#/definitions/editMessage');
const deleteBody = schema<{ token: string; rid: string }>('livechat.json#/definitions/deleteMessage');
const historyQuery = schema<HistoryQuery>('livechat.json#/definitions/historyQuery');

/** Rocket.Chat's default page; the widget asks for more (shown + 10) as the visitor scrolls up. */
const HISTORY_DEFAULT = 20;
const HISTORY_MAX = 100;

export function messageRoutes(router: VisitorRouter, services: ChatServices): void {
  router.post('/message', async (ctx) => {
    // `agent` (sent by some SDK clients) is ignored: routing decides who serves a room.
    const { token, rid, msg, _id } = await jsonBody(ctx, postBody);
    const message = await services.messages.post({ token, rid, msg, ...(_id != null && { _id }) });
    ctx.body = ok({ message: presentMessageForVisitor(message) });
  });

  router.get('/message/:_id', async (ctx) => {
    const id = param(ctx, '_id');
    const { token, rid } = messageQuery(queryOf(ctx), 'query');
    const message = await services.messages.get({ token, id, ...(rid !== undefined && { rid }) });
    ctx.body = ok({ message: presentMessageForVisitor(message) });
  });

  router.put('/message/:_id', async (ctx) => {
    const id = param(ctx, '_id');
    const input = await jsonBody(ctx, editBody);
    ctx.body = ok({ message: presentMessageForVisitor(await services.messages.edit({ ...input, id })) });
  });

  router.delete('/message/:_id', async (ctx) => {
    const id = param(ctx, '_id');
    const input = await jsonBody(ctx, deleteBody);
    const message = await services.messages.remove({ ...input, id });
    ctx.body = ok({ message: { _id: message._id, ts: message.ts } });
  });

  router.get('/messages.history/:rid', async (ctx) => {
    const rid = param(ctx, 'rid');
    const { token, limit, ls, end } = historyQuery(queryOf(ctx), 'query');
    if (token === undefined) throw new AppError('error-token-param-not-provided', 'The required "token" query param is missing.');
    // A limit beyond the maximum is trimmed, not refused: the widget's grows with every scroll.
    const count = Math.min(HISTORY_MAX, Math.max(1, limit === undefined ? HISTORY_DEFAULT : Number(limit)));
    const messages = await services.messages.history({ token, rid, limit: count, ...(ls !== undefined && { ls }), ...(end !== undefined && { end }) });
    ctx.body = ok({ messages: messages.map(presentMessageForVisitor) });
  });
}
