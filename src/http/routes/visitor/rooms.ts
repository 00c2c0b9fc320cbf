/**
 * `livechat/room*`, `agent.info`, `agent.next` and `transcript`: the visitor's side of a room.
 */
import type { ChatServices } from '../../../services/api.js';
import { jsonBody } from '../../body.js';
import { ok, presentRoomForVisitor } from '../../presenters.js';
import { queryOf, schema } from '../../validate.js';
import { param, reasonAsMessage, type VisitorRouter } from './common.js';

interface RoomQuery {
  token: string;
  rid?: string;
  agentId?: string;
}
interface RoomRef {
  token: string;
  rid: string;
}

const roomQuery = schema<RoomQuery>('livechat.json#/definitions/roomQuery');
const closeBody = schema<RoomRef>('livechat.json#/definitions/roomClose');
const transferBody = schema<RoomRef & { department: string }>('livechat.json#/definitions/roomTransfer');
const surveyBody = schema<RoomRef & { data: { name: string; value: string }[] }>('livechat.json#/definitions/roomSurvey');
const nextAgentQuery = schema<{ department?: string }>('livechat.json#/definitions/agentNextQuery');
const transcriptBody = schema<RoomRef & { email: string }>('livechat.json#/definitions/transcript');

export function roomRoutes(router: VisitorRouter, services: ChatServices): void {
  router.get('/room', async (ctx) => {
    const { token, rid, agentId } = roomQuery(queryOf(ctx), 'query');
    // The widget sets this cookie on its own origin; Rocket.Chat records the room's source from it.
    const source = ctx.cookies.get('rc_is_widget') === 't' ? 'widget' : 'api';
    const { room, newRoom } = await services.rooms.openOrGet({ token, source, ip: ctx.ip, ...(rid !== undefined && { rid }), ...(agentId !== undefined && { agentId }) });
    ctx.body = ok({ room: presentRoomForVisitor(room), newRoom });
  });

  router.post('/room.close', async (ctx) => {
    const input = await jsonBody(ctx, closeBody);
    const { room, comment } = await services.rooms.closeByVisitor(input);
    ctx.body = ok({ rid: room._id, comment });
  });

  router.post('/room.transfer', async (ctx) => {
    const input = await jsonBody(ctx, transferBody);
    ctx.body = ok({ room: presentRoomForVisitor(await services.rooms.transferByVisitor(input)) });
  });

  router.post('/room.survey', async (ctx) => {
    const input = await jsonBody(ctx, surveyBody);
    const { rid, data } = await services.rooms.survey(input);
    ctx.body = ok({ rid, data });
  });

  router.get('/agent.info/:rid/:token', async (ctx) => {
    const rid = param(ctx, 'rid');
    const token = param(ctx, 'token');
    ctx.body = ok({ agent: await services.rooms.agentInfo({ token, rid }) });
  });

  router.get('/agent.next/:token', async (ctx) => {
    const token = param(ctx, 'token');
    const { department } = nextAgentQuery(queryOf(ctx), 'query');
    const agent = await services.rooms.nextAgent({ token, ...(department !== undefined && { department }) });
    // Rocket.Chat answers `{}` (no agent key) while the visitor already has an open room.
    ctx.body = ok(agent ? { agent } : {});
  });

  router.post('/transcript', reasonAsMessage, async (ctx) => {
    const input = await jsonBody(ctx, transcriptBody);
    await services.rooms.requestTranscript(input);
    ctx.body = ok({ message: 'Livechat transcript sent' });
  });
}
