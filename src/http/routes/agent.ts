/**
 * The agent API under `/api/v1/agent/`: password login for a session token, then everything an agent does over
 * HTTP (the console also uses /ws/agent for the same actions). The token travels only in
 * `Authorization: Bearer`, never in a URL. Agents never see a visitor's token.
 */
import Router from '@koa/router';
import type Koa from 'koa';
import { messageForAgent } from '../../domain/message.js';
import { roomForAgent } from '../../domain/room.js';
import { AppError } from '../../domain/errors.js';
import type { HttpDeps } from '../deps.js';
import { ok } from '../presenters.js';
import { body, query, validate } from '../request.js';

type AgentState = { username: string };

export function agentRoutes(deps: HttpDeps): Router {
  const agents = deps.services.agents;
  const router = new Router<AgentState>({ prefix: '/api/v1/agent' });

  router.post('/login', async (ctx) => {
    const { username, password } = await body<{ username: string; password: string }>(ctx, 'agent.json#/definitions/login');
    const { token, user } = await agents.login({ username, password, ip: ctx.ip });
    ctx.body = ok({ token, user });
  });

  const auth: Koa.Middleware<AgentState> = async (ctx, next) => {
    const token = /^Bearer ([A-Za-z0-9_-]{1,128})$/.exec(ctx.get('authorization'))?.[1];
    if (token === undefined) throw new AppError('unauthorized', 'Not logged in');
    ctx.state.username = agents.authenticate(token);
    await next();
  };

  router.post('/logout', auth, async (ctx) => {
    await agents.logout(/^Bearer (.+)$/.exec(ctx.get('authorization'))![1]!);
    ctx.body = ok({});
  });

  router.get('/me', auth, (ctx) => {
    ctx.body = ok({ user: agents.me(ctx.state.username) });
  });

  router.post('/status', auth, async (ctx) => {
    const { status } = await body<{ status: 'available' | 'away' }>(ctx, 'agent.json#/definitions/status');
    ctx.body = ok({ user: await agents.setStatus(ctx.state.username, status) });
  });

  router.get('/rooms', auth, (ctx) => {
    ctx.body = ok({ rooms: agents.rooms(ctx.state.username).map(roomForAgent) });
  });

  router.get('/queue', auth, (ctx) => {
    ctx.body = ok({ rooms: agents.queue(ctx.state.username).map(roomForAgent) });
  });

  router.get('/rooms/:rid/messages', auth, async (ctx) => {
    const rid = validate<string>('livechat.json#/definitions/id', ctx.params.rid);
    const q = query<{ afterSeq?: string; limit?: string }>(ctx, 'agent.json#/definitions/historyQuery');
    const list = await agents.history(ctx.state.username, { rid, afterSeq: Number(q.afterSeq ?? 0), limit: Math.min(1000, Number(q.limit ?? 1000)) });
    ctx.body = ok({ messages: list.map(messageForAgent) });
  });

  router.post('/rooms/:rid/take', auth, async (ctx) => {
    const rid = validate<string>('livechat.json#/definitions/id', ctx.params.rid);
    await body(ctx, 'agent.json#/definitions/empty');
    ctx.body = ok({ room: roomForAgent(await agents.take(ctx.state.username, rid)) });
  });

  router.post('/rooms/:rid/messages', auth, async (ctx) => {
    const rid = validate<string>('livechat.json#/definitions/id', ctx.params.rid);
    const input = await body<{ msg: string; clientMsgId?: string }>(ctx, 'agent.json#/definitions/send');
    const message = await agents.send(ctx.state.username, { rid, msg: input.msg, ...(input.clientMsgId !== undefined && { clientMsgId: input.clientMsgId }) });
    ctx.body = ok({ message: messageForAgent(message) });
  });

  router.post('/rooms/:rid/close', auth, async (ctx) => {
    const rid = validate<string>('livechat.json#/definitions/id', ctx.params.rid);
    const { comment } = await body<{ comment?: string }>(ctx, 'agent.json#/definitions/close');
    ctx.body = ok({ room: roomForAgent(await agents.close(ctx.state.username, { rid, ...(comment !== undefined && { comment }) })) });
  });

  router.post('/rooms/:rid/transfer', auth, async (ctx) => {
    const rid = validate<string>('livechat.json#/definitions/id', ctx.params.rid);
    const target = await body<{ agent?: string; department?: string; comment?: string }>(ctx, 'agent.json#/definitions/transfer');
    ctx.body = ok({ room: roomForAgent(await agents.transfer(ctx.state.username, { rid, ...target })) });
  });

  return router;
}
