/**
 * Our agent API under `/api/v1/agent/`: password login for a session token, then everything an agent does over
 * HTTP (the console does the same over /ws/agent). The token travels only in `Authorization: Bearer`, never in
 * a URL or a body; agents never see a visitor's token. No CORS: only the console and scripts call this.
 */
import Router, { type RouterContext } from '@koa/router';
import type Koa from 'koa';
import { AppError } from '../../domain/errors.js';
import type { ChatServices } from '../../services/api.js';
import { jsonBody } from '../body.js';
import { ok, presentAgentProfile, presentMessageForAgent, presentRoomForAgent } from '../presenters.js';
import type { RequestState } from '../state.js';
import { queryOf, schema } from '../validate.js';

interface AgentState extends RequestState {
  username: string;
  sessionToken: string;
}
type AgentContext = RouterContext<AgentState>;

const loginBody = schema<{ username: string; password: string }>('agent.json#/definitions/login');
const statusBody = schema<{ status: 'available' | 'away' }>('agent.json#/definitions/status');
const historyQuery = schema<{ afterSeq?: string; limit?: string }>('agent.json#/definitions/historyQuery');
const sendBody = schema<{ msg: string; clientMsgId?: string }>('agent.json#/definitions/send');
const closeBody = schema<{ comment?: string }>('agent.json#/definitions/close');
const transferBody = schema<{ agent?: string; department?: string; comment?: string }>('agent.json#/definitions/transfer');
const emptyBody = schema<object>('agent.json#/definitions/empty');
const roomId = schema<string>('common.json#/definitions/id');

/** Replays are bounded so one request cannot ask for a whole year of a busy room. */
const HISTORY_MAX = 1000;

export function agentRoutes(services: ChatServices): Router<AgentState> {
  const agents = services.agents;
  const router = new Router<AgentState>({ prefix: '/api/v1/agent' });

  router.post('/login', async (ctx) => {
    const { username, password } = await jsonBody(ctx, loginBody);
    // Unknown user and wrong password fail alike (401 "Invalid username or password"); repeated failures are
    // rate-limited by the service (429, Retry-After from its retryAfterSeconds).
    const { token, user } = await agents.login({ username, password, ip: ctx.ip });
    ctx.body = ok({ token, user: presentAgentProfile(user) });
  });

  const auth: Koa.Middleware<AgentState> = async (ctx, next) => {
    const token = /^Bearer ([A-Za-z0-9_-]{1,256})$/.exec(ctx.get('authorization'))?.[1];
    if (token === undefined) throw new AppError('unauthorized', 'Not logged in');
    ctx.state.username = agents.authenticate(token);
    ctx.state.sessionToken = token;
    await next();
  };
  const rid = (ctx: AgentContext) => roomId(ctx.params.rid, 'rid');

  router.post('/logout', auth, async (ctx) => {
    await jsonBody(ctx, emptyBody);
    await agents.logout(ctx.state.sessionToken);
    ctx.body = ok({});
  });

  router.get('/me', auth, (ctx) => {
    ctx.body = ok({ user: presentAgentProfile(agents.me(ctx.state.username)) });
  });

  router.post('/status', auth, async (ctx) => {
    const { status } = await jsonBody(ctx, statusBody);
    ctx.body = ok({ user: presentAgentProfile(await agents.setStatus(ctx.state.username, status)) });
  });

  router.get('/rooms', auth, (ctx) => {
    ctx.body = ok({ rooms: agents.rooms(ctx.state.username).map(presentRoomForAgent) });
  });

  router.get('/queue', auth, (ctx) => {
    ctx.body = ok({ rooms: agents.queue(ctx.state.username).map(presentRoomForAgent) });
  });

  // Agents to transfer to: any logged-in user may list them (managers are not listed).
  router.get('/agents', auth, (ctx) => {
    ctx.body = ok({ agents: agents.directory(ctx.state.username) });
  });

  // The visitor of a room this user may act on (never their token), and the pages they visited.
  router.get('/rooms/:rid/visitor', auth, async (ctx) => {
    const { visitor, pages } = await agents.visitor(ctx.state.username, rid(ctx));
    ctx.body = ok({ visitor, pages });
  });

  router.get('/rooms/:rid/messages', auth, async (ctx) => {
    const { afterSeq, limit } = historyQuery(queryOf(ctx), 'query');
    const messages = await agents.history(ctx.state.username, {
      rid: rid(ctx),
      afterSeq: afterSeq === undefined ? 0 : Number(afterSeq),
      limit: Math.min(HISTORY_MAX, limit === undefined ? HISTORY_MAX : Number(limit)),
    });
    ctx.body = ok({ messages: messages.map(presentMessageForAgent) });
  });

  router.post('/rooms/:rid/take', auth, async (ctx) => {
    await jsonBody(ctx, emptyBody);
    ctx.body = ok({ room: presentRoomForAgent(await agents.take(ctx.state.username, rid(ctx))) });
  });

  router.post('/rooms/:rid/messages', auth, async (ctx) => {
    const { msg, clientMsgId } = await jsonBody(ctx, sendBody);
    const message = await agents.send(ctx.state.username, { rid: rid(ctx), msg, ...(clientMsgId !== undefined && { clientMsgId }) });
    ctx.body = ok({ message: presentMessageForAgent(message) });
  });

  router.post('/rooms/:rid/close', auth, async (ctx) => {
    const { comment } = await jsonBody(ctx, closeBody);
    ctx.body = ok({ room: presentRoomForAgent(await agents.close(ctx.state.username, { rid: rid(ctx), ...(comment !== undefined && { comment }) })) });
  });

  router.post('/rooms/:rid/transfer', auth, async (ctx) => {
    const { agent, department, comment } = await jsonBody(ctx, transferBody);
    const target = { ...(agent !== undefined && { agent }), ...(department !== undefined && { department }), ...(comment !== undefined && { comment }) };
    ctx.body = ok({ room: presentRoomForAgent(await agents.transfer(ctx.state.username, { rid: rid(ctx), ...target })) });
  });

  return router;
}
