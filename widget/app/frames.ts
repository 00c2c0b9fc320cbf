/**
 * What the server's `/ws/visitor` frames do to the session: messages (each seq once, in order, thanks to the
 * channel's resume), agent typing, agent changes, queue position, the chat's end, and config changes.
 */
import type { Frame } from '../../src/client/channel';
import { fetchConfig } from './api';
import type { Session } from './session';
import type { Agent, ChatMessage } from './types';

/** Agent typing that is never switched off (a lost frame) disappears after this long. */
const TYPING_TTL_MS = 15_000;
let typingTimer: ReturnType<typeof setTimeout> | undefined;

export function applyFrame(session: Session, frame: Frame): void {
  const { state } = session;
  // While the room is being opened, its first frames (agent, queue) may arrive before the HTTP answer does.
  const mine = (rid: unknown): boolean => state.room === null || rid === state.room._id;
  switch (frame.type) {
    case 'ready': {
      const room = frame.room as { _id: string; status: string } | null;
      const agent = frame.agent as Agent | null;
      const queue = frame.queue as { spot: number } | undefined;
      if (room) session.set({ room: { _id: room._id, status: room.status }, agent, queue: queue?.spot ?? null, ...(state.screen !== 'chat' && { screen: 'chat' }) });
      else if (state.room) session.finished(); // closed while the connection was down
      return;
    }
    case 'message':
    case 'message.updated': {
      const message = frame.message as ChatMessage;
      if (message.t === 'livechat_navigation_history' || message.t === 'command' || message.t === 'uj') return;
      const fromOther = message.u._id !== state.user?._id && !state.messages.some((m) => m._id === message._id);
      session.upsert({ ...state.messages.find((m) => m._id === message._id), ...message, status: undefined });
      if (fromOther && frame.type === 'message') {
        if (state.typing && (message.u.name === state.typing || message.u.username === state.typing)) session.set({ typing: null });
        if (!session.state.open) session.set({ unread: session.state.unread + 1 });
      }
      return;
    }
    case 'message.deleted':
      session.set({ messages: state.messages.filter((m) => m._id !== frame._id) });
      return;
    case 'typing':
      if (!mine(frame.rid) || state.config?.settings.agentHiddenInfo) return;
      clearTimeout(typingTimer);
      session.set({ typing: frame.typing ? String(frame.name || frame.username) : null });
      if (frame.typing) typingTimer = setTimeout(() => session.set({ typing: null }), TYPING_TTL_MS);
      return;
    case 'agent': {
      if (!mine(frame.rid)) return;
      const agent = frame.agent as Agent | null;
      const before = state.agent;
      session.set({ agent, ...(agent && { queue: null }) });
      if (agent && !agent.hiddenInfo && agent.username !== before?.username) {
        session.hostCallback('assign-agent', { name: agent.name, username: agent.username, status: agent.status });
      } else if (agent?.status && before && before.username === agent.username && agent.status !== before.status) {
        session.hostCallback('agent-status-change', { status: agent.status });
      }
      return;
    }
    case 'queue':
      if (!mine(frame.rid)) return;
      session.set({ queue: frame.spot as number });
      session.hostCallback('queue-position-change', { spot: frame.spot });
      return;
    case 'room.closed':
      if (state.room && frame.rid === state.room._id) session.finished();
      return;
    case 'config.changed':
      void refreshConfig(session);
      return;
    default:
      return;
  }
}

/** A reload on the server: new texts, colours, online state. Screens in the middle of something stay. */
async function refreshConfig(session: Session): Promise<void> {
  const before = session.state.screen;
  try {
    const config = await fetchConfig(session.token);
    session.set({ config });
    if (['register', 'offline', 'unavailable', 'disabled'].includes(before) || (before === 'chat' && !session.state.room)) session.route();
  } catch {
    // keep the old config; the next change or page load tries again
  }
}
