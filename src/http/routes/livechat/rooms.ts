/** `livechat/room*`, `agent.info`, `agent.next`, `transcript`, `upload`: the visitor's side of a room. */
import Router from '@koa/router';
import { AppError } from '../../../domain/errors.js';
import type { HttpDeps } from '../../deps.js';
import { ok } from '../../presenters.js';
import { body, query, validate } from '../../request.js';

export function roomRoutes(router: Router, deps: HttpDeps): void {
  const { rooms } = deps.services;

  router.get('/room', async (ctx) => {
    const q = query<{ token: string; rid?: string; agentId?: string }>(ctx, 'livechat.json#/definitions/roomQuery');
    // The widget marks itself with this cookie; Rocket.Chat records the room's source from it.
    const source = ctx.cookies.get('rc_is_widget') === 't' ? 'widget' : 'api';
    const { room, newRoom } = await rooms.openOrGet({ token: q.token, source, ...(q.rid !== undefined && { rid: q.rid }), ...(q.agentId !== undefined && { agentId: q.agentId }) });
    ctx.body = ok({ room, newRoom });
  });

  router.post('/room.close', async (ctx) => {
    const input = await body<{ token: string; rid: string }>(ctx, 'livechat.json#/definitions/roomClose');
    const { room, comment } = await rooms.closeByVisitor(input);
    ctx.body = ok({ rid: room._id, comment });
  });

  router.post('/room.transfer', async (ctx) => {
    const input = await body<{ token: string; rid: string; department: string }>(ctx, 'livechat.json#/definitions/roomTransfer');
    ctx.body = ok({ room: await rooms.transferByVisitor(input) });
  });

  router.post('/room.survey', async (ctx) => {
    const input = await body<{ token: string; rid: string; data: { name: string; value: string }[] }>(ctx, 'livechat.json#/definitions/roomSurvey');
    ctx.body = ok(await rooms.survey(input));
  });

  router.get('/agent.info/:rid/:token', async (ctx) => {
    const rid = validate<string>('livechat.json#/definitions/id', ctx.params.rid);
    const token = validate<string>('livechat.json#/definitions/token', ctx.params.token);
    ctx.body = ok({ agent: await rooms.agentInfo({ token, rid }) });
  });

  router.get('/agent.next/:token', async (ctx) => {
    const token = validate<string>('livechat.json#/definitions/token', ctx.params.token);
    const { department } = query<{ department?: string }>(ctx, 'livechat.json#/definitions/nextAgentQuery');
    const agent = await rooms.nextAgent({ token, ...(department !== undefined && { department }) });
    ctx.body = ok(agent ? { agent } : {});
  });

  router.post('/transcript', async (ctx) => {
    const input = await body<{ token: string; rid: string; email: string }>(ctx, 'livechat.json#/definitions/transcript');
    try {
      await rooms.requestTranscript(input);
      ctx.body = ok({ message: 'Livechat transcript sent' });
    } catch (err) {
      throw withMessage(err); // the widget shows `error.data.message`
    }
  });

  router.post('/upload/:rid', (ctx) => {
    // Uploads are not offered (config says fileUpload:false); answer in the shape the widget reads, unread body.
    ctx.set('Connection', 'close');
    throw new AppError('error-file-upload-disabled', 'File upload is disabled', { body: { reason: 'error-file-upload-disabled' } });
  });
}

/** Rocket.Chat's offline-form and transcript endpoints put the reason in `message`; clients read it there. */
export function withMessage(err: unknown): unknown {
  if (!(err instanceof AppError)) return err;
  return new AppError(err.code, err.message, { ...err.details, body: { message: err.message || err.code } });
}
