/**
 * The visitor side of a chat: everything `/api/v1/livechat/*` offers that concerns rooms and messages.
 * Every call is authorised by the visitor token alone; a room or message of another visitor is answered exactly
 * like one that does not exist.
 */
import { AppError } from '../domain/errors.js';
import type { Message } from '../domain/message.js';
import type { Visitor } from '../domain/visitor.js';
import { agentsFor, chooseDepartment } from '../routing/department.js';
import { pickRoundRobin } from '../routing/round-robin.js';
import type { AgentPresence } from './agent-presence.js';
import { agentView } from './agent-view.js';
import type { ChatServices } from './api.js';
import type { ChatState } from './chat-state.js';
import type { ServiceDeps } from './context.js';
import type { Counters } from './counters.js';
import { resolveDepartment } from './departments.js';
import type { Dispatcher } from './dispatch.js';
import { sameSecret } from './ids.js';
import type { Messages } from './messages.js';
import type { RateLimits } from './rate-limits.js';
import type { Rooms } from './rooms.js';
import type { Router } from './router.js';
import type { Visitors } from './visitors.js';

const SURVEY_ITEMS = ['satisfaction', 'agentKnowledge', 'agentResposiveness', 'agentFriendliness'];
const SURVEY_VALUES = ['1', '2', '3', '4', '5'];

export function visitorDesk(
  deps: ServiceDeps,
  parts: { state: ChatState; visitors: Visitors; rooms: Rooms; messages: Messages; router: Router; presence: AgentPresence; counters: Counters; dispatcher: Dispatcher; limits: RateLimits },
): Pick<ChatServices, 'rooms' | 'messages'> {
  const { state, visitors, rooms, messages, router, presence, counters, dispatcher, limits } = parts;
  /** A visitor record, or an open room's `v` (which carries the visitor's name: Visitors renames open rooms). */
  const author = (v: Pick<Visitor, '_id' | 'username' | 'token' | 'name'>) =>
    v.name === undefined
      ? { user: { _id: v._id, username: v.username }, visitor: { token: v.token } }
      : { user: { _id: v._id, username: v.username, name: v.name }, visitor: { token: v.token, alias: v.name } };

  async function ownMessage(token: string, rid: string | undefined, id: string): Promise<{ visitor: Visitor; message: Message }> {
    const visitor = await visitors.require(token);
    // The room first: someone else's room must read exactly like a missing one, whatever the message id.
    if (rid !== undefined) await rooms.ownedBy(token, rid);
    const message = await messages.find(id);
    if (!message || (rid !== undefined && message.rid !== rid)) throw new AppError('invalid-message', '');
    // Without a rid, a message of someone else's room must read like a missing message, not like a missing room:
    // a different answer would tell that the id exists.
    if (rid === undefined && !(await rooms.ownedBy(token, message.rid).then(() => true, () => false))) throw new AppError('invalid-message', '');
    return { visitor, message };
  }

  return {
    rooms: {
      openOrGet: ({ token, rid, agentId, source, ip }) =>
        visitors.lock.run(token, async () => {
          const visitor = await visitors.require(token);
          const open = state.ofToken(token);
          if (rid !== undefined) {
            if (!open || open._id !== rid) throw new AppError('invalid-room', '');
            return { room: open, newRoom: false };
          }
          if (open) return { room: open, newRoom: false };
          if (ip !== undefined) await limits.take('roomsPerIp', ip);
          return { room: await rooms.open(visitor, { ...(agentId !== undefined && { agentId }), source: source ?? 'api' }), newRoom: true };
        }),

      async closeByVisitor({ token, rid }) {
        const visitor = await visitors.require(token);
        const room = await rooms.openOwnedBy(token, rid);
        const comment = 'Closed by visitor';
        const closed = await rooms.close(room, { by: 'visitor', user: author(visitor).user, comment });
        return { room: closed, comment };
      },

      async transferByVisitor({ token, rid, department }) {
        const visitor = await visitors.require(token);
        const room = await rooms.openOwnedBy(token, rid);
        return rooms.transfer(room, { _id: visitor._id, username: visitor.username, ...(visitor.name !== undefined && { name: visitor.name }), type: 'visitor' }, { department });
      },

      async survey({ token, rid, data }) {
        await visitors.require(token);
        const answers: Record<string, string> = {};
        await rooms.update(
          token,
          rid,
          (room) => {
            for (const { name, value } of data) {
              const valid = name === 'additionalFeedback' || (SURVEY_ITEMS.includes(name) && SURVEY_VALUES.includes(value));
              if (!valid) throw new AppError('invalid-data', '');
              answers[name] = value;
            }
            return { ...room, surveyFeedback: Object.entries(answers).map(([name, value]) => ({ name, value })), _updatedAt: deps.now().toISOString() };
          },
          (next) => [{ type: 'room.updated', room: next }],
        );
        return { rid, data: answers };
      },

      async agentInfo({ token, rid }) {
        await visitors.require(token);
        const room = await rooms.ownedBy(token, rid);
        const view = room.servedBy && agentView(deps.config(), presence, room.servedBy.username);
        if (!view) throw new AppError('invalid-agent', '');
        return view;
      },

      async nextAgent({ token, department }) {
        // Like Rocket.Chat, no registration needed: triggers ask before the visitor has registered.
        const visitor = await visitors.find(token);
        if (state.ofToken(token)) return undefined;
        const config = deps.config();
        const requested = department ? resolveDepartment(config, department)?.id : visitor?.department;
        const departmentId = chooseDepartment(router.departments(), requested, (u) => router.isAgentOnline(u));
        const pool = agentsFor(router.departments(), config.agents.map((a) => a.username), departmentId);
        const username = pickRoundRobin(pool, (u) => router.isEligible(u), counters.cursor(departmentId ?? '*'));
        const view = username === undefined ? undefined : agentView(config, presence, username);
        if (!view) throw new AppError('agent-not-found', 'Agent not found');
        return view;
      },

      async requestTranscript({ token, rid, email }) {
        await visitors.require(token);
        await rooms.update(token, rid, (room) => ({
          ...room,
          transcriptRequest: { requestedAt: deps.now().toISOString(), email, subject: 'Transcript of your livechat conversation' },
        }));
        // The request is kept for when mail delivery exists; until then the visitor is told it was not sent.
        throw new AppError('error-transcript-not-configured', 'Transcript e-mail is not configured on this server');
      },
    },

    messages: {
      async post({ token, rid, msg, _id }) {
        // The usual case, an open room of this token, reads nothing: the room names its visitor, whose record
        // exists (a visitor with an open room cannot be removed). Anything else takes the checks that tell
        // which error it is.
        const open = state.get(rid);
        let writer: Pick<Visitor, '_id' | 'username' | 'token' | 'name'>;
        if (open && sameSecret(open.v.token, token)) writer = open.v;
        else {
          writer = await visitors.require(token);
          await rooms.openOwnedBy(token, rid);
        }
        await limits.take('messagesPerVisitor', token);
        return messages.post(rid, author(writer), msg, _id);
      },

      async get({ token, rid, id }) {
        return (await ownMessage(token, rid, id)).message;
      },

      async edit({ token, rid, id, msg }) {
        const { visitor, message } = await ownMessage(token, rid, id);
        if (message.u._id !== visitor._id || message.t !== undefined) throw new AppError('error-action-not-allowed', 'Editing messages is not allowed');
        const room = await rooms.openOwnedBy(token, rid);
        return messages.edit(room, message, msg, author(visitor).user);
      },

      async remove({ token, rid, id }) {
        const { visitor, message } = await ownMessage(token, rid, id);
        if (message.u._id !== visitor._id || message.t !== undefined) throw new AppError('error-action-not-allowed', 'Deleting messages is not allowed');
        const room = await rooms.openOwnedBy(token, rid);
        await messages.remove(room, message);
        return message;
      },

      async history({ token, rid, limit, ls, end }) {
        await visitors.require(token);
        await rooms.ownedBy(token, rid);
        return messages.history(rid, { limit: limit ?? 20, ...(ls !== undefined && { ls }), ...(end !== undefined && { end }) });
      },
    },
  };
}
