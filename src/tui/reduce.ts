/**
 * The console's state machine: `reduce(state, action)` is pure, so every rule about what the agent sees can be
 * tested without a terminal or a daemon. Frames are handled in reduce-frames.ts; this file does the rest.
 */
import type { Action } from './actions.js';
import { markSelectedRead, mergeMessages, reselect, selectRoom } from './bookkeeping.js';
import { reduceFrame } from './reduce-frames.js';
import { listOrder } from './selectors.js';
import type { ConsoleState, Pane, Pending } from './state.js';

const PANES: Pane[] = ['list', 'conversation', 'input'];

export function reduce(state: ConsoleState, action: Action): ConsoleState {
  switch (action.type) {
    case 'frame':
      return reduceFrame(state, action.frame);
    case 'connection':
      return {
        ...state,
        connection: { ...state.connection, state: action.state, ...(action.detail !== undefined && { detail: action.detail }) },
        ...(action.state === 'reconnecting' && { typing: {} }),
      };
    case 'history': {
      if (!state.rooms[action.rid]) return state;
      const { [action.rid]: _done, ...wanted } = state.historyWanted;
      return markSelectedRead(mergeMessages({ ...state, historyWanted: wanted }, action.rid, action.messages));
    }
    case 'site':
      return {
        ...state,
        departments: { ...state.departments, ...Object.fromEntries(action.departments.map((d) => [d._id, d.name])) },
        ...(action.messageMaxLength !== undefined && { messageMaxLength: action.messageMaxLength }),
      };
    case 'visitor':
      return state.rooms[action.rid] ? { ...state, visitors: { ...state.visitors, [action.rid]: action.lookup } } : state;
    case 'directory':
      return {
        ...state,
        directory: action.agents,
        agents: { ...state.agents, ...Object.fromEntries(action.agents.map((a) => [a.username, a.name])) },
      };
    case 'room-result':
      return reduceFrame(state, action.room.status === 'closed' ? { type: 'room.closed', rid: action.room._id, room: action.room } : { type: 'room.updated', room: action.room });
    case 'profile':
      return { ...state, me: action.user };
    case 'send-started':
      return withPending(state, action.rid, (list) => [...list.filter((p) => p.clientMsgId !== action.clientMsgId), { clientMsgId: action.clientMsgId, msg: action.msg }]);
    case 'send-acked': {
      // The ack makes the message part of the conversation; the `message` frame with the same seq replaces it.
      const pending = state.pending[action.rid]?.find((p) => p.clientMsgId === action.clientMsgId);
      if (!pending || !state.rooms[action.rid]) return withPending(state, action.rid, (list) => list.filter((p) => p.clientMsgId !== action.clientMsgId));
      const { username, name } = state.me;
      const message = { _id: action._id, rid: action.rid, seq: action.seq, msg: pending.msg, ts: action.ts, u: { _id: username, username, name } };
      return markSelectedRead(mergeMessages(state, action.rid, [message]));
    }
    case 'send-failed':
      return withPending(state, action.rid, (list) => list.map((p) => (p.clientMsgId === action.clientMsgId ? { ...p, failed: action.reason } : p)));
    case 'discard-failed':
      return withPending(state, action.rid, (list) => list.filter((p) => p.failed === undefined));
    case 'tick':
      return { ...state, now: action.now };
    case 'move': {
      const order = listOrder(state);
      if (order.length === 0) return state;
      const at = state.selected ? order.indexOf(state.selected) : -1;
      const next = order[Math.min(order.length - 1, Math.max(0, at + action.delta))]!;
      return reselect(state, selectRoom(state, next));
    }
    case 'select':
      return state.rooms[action.rid] ? reselect(state, selectRoom(state, action.rid)) : state;
    case 'focus':
      return { ...state, focus: action.pane };
    case 'cycle-focus': {
      const at = PANES.indexOf(state.focus);
      return { ...state, focus: PANES[(at + (action.back ? PANES.length - 1 : 1)) % PANES.length]! };
    }
    case 'scroll':
      return { ...state, scroll: Math.min(Math.max(0, action.max), Math.max(0, state.scroll + action.delta)) };
    case 'scroll-bottom':
      return { ...state, scroll: 0 };
    case 'toggle-visitor':
      return { ...state, showVisitor: !state.showVisitor };
    case 'modal':
      return { ...state, modal: action.modal };
    case 'draft':
      return { ...state, drafts: { ...state.drafts, [action.rid]: action.editor } };
    case 'notice':
      return { ...state, notice: action.notice };
    case 'quitting':
      return { ...state, quitting: true, modal: null };
  }
}

function withPending(state: ConsoleState, rid: string, change: (list: Pending[]) => Pending[]): ConsoleState {
  return { ...state, pending: { ...state.pending, [rid]: change(state.pending[rid] ?? []) } };
}
