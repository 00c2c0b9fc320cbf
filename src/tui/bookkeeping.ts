/**
 * The reducer's shared chores, pure: merging messages by seq (so a replay after a reconnect, a history fetch and
 * the live stream can overlap without a message showing twice), dropping a room with everything kept for it,
 * keeping a sensible selection when the list changes, and marking the selected chat read.
 */
import { listOrder } from './selectors.js';
import type { ConsoleState } from './state.js';
import type { ChatMessage } from './wire.js';

/** Inserts or replaces by seq, keeping seq order; own pending copies of these messages are settled. */
export function mergeMessages(state: ConsoleState, rid: string, incoming: ChatMessage[]): ConsoleState {
  if (incoming.length === 0) return state;
  const bySeq = new Map((state.messages[rid] ?? []).map((m) => [m.seq, m]));
  for (const m of incoming) bySeq.set(m.seq, m);
  const messages = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  const ids = new Set(incoming.map((m) => m._id));
  const pending = (state.pending[rid] ?? []).filter((p) => !ids.has(p.clientMsgId));
  const agents = { ...state.agents };
  const room = state.rooms[rid];
  for (const m of incoming) {
    if (room && m.u._id !== room.v._id && m.u.name) agents[m.u.username] = m.u.name;
    const to = m.transferData?.transferredTo;
    if (to?.name) agents[to.username] = to.name;
  }
  return { ...state, agents, messages: { ...state.messages, [rid]: messages }, pending: { ...state.pending, [rid]: pending } };
}

export function lastSeq(state: ConsoleState, rid: string): number {
  return state.messages[rid]?.at(-1)?.seq ?? 0;
}

/** The selected chat is the one on screen: what it shows is read. */
export function markSelectedRead(state: ConsoleState): ConsoleState {
  const rid = state.selected;
  if (!rid) return state;
  const seq = Math.max(state.readSeq[rid] ?? 0, lastSeq(state, rid));
  return seq === state.readSeq[rid] ? state : { ...state, readSeq: { ...state.readSeq, [rid]: seq } };
}

function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!(key in record)) return record;
  const { [key]: _gone, ...rest } = record;
  return rest;
}

/** Forgets a room and everything the console kept for it. */
export function dropRoom(state: ConsoleState, rid: string): ConsoleState {
  return {
    ...state,
    rooms: without(state.rooms, rid),
    messages: without(state.messages, rid),
    readSeq: without(state.readSeq, rid),
    pending: without(state.pending, rid),
    typing: without(state.typing, rid),
    drafts: without(state.drafts, rid),
    historyWanted: without(state.historyWanted, rid),
    visitors: without(state.visitors, rid),
  };
}

/**
 * After the list changed: a selection that vanished moves to the entry now at its old place (so taking or
 * transferring the chat at the top lands on the next one); with nothing selected, the first entry is.
 */
export function reselect(before: ConsoleState, after: ConsoleState): ConsoleState {
  if (after.selected && after.rooms[after.selected]) return after;
  const order = listOrder(after);
  const oldIndex = before.selected ? listOrder(before).indexOf(before.selected) : 0;
  const selected = order[Math.min(Math.max(oldIndex, 0), order.length - 1)] ?? null;
  return markSelectedRead({ ...after, selected, scroll: 0, focus: 'list' });
}

/** Moving the selection away from a closed chat lets it go. */
export function selectRoom(state: ConsoleState, rid: string | null): ConsoleState {
  if (rid === state.selected) return state;
  let next: ConsoleState = { ...state, selected: rid, scroll: 0 };
  const previous = state.selected ? state.rooms[state.selected] : undefined;
  if (previous?.status === 'closed') next = dropRoom(next, previous._id);
  return markSelectedRead(next);
}
