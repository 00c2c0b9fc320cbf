/**
 * Derived views of the state, as pure functions: what the list shows and in which order, unread counts, how long
 * a visitor has been waiting, who may act on what, and what a transfer can target.
 */
import type { ConsoleState, TransferOption } from './state.js';
import type { ChatMessage, RoomView } from './wire.js';

export type Section = 'queue' | 'mine' | 'others' | 'closed';

export interface ListEntry {
  rid: string;
  section: Section;
  room: RoomView;
  unread: number;
  /** Milliseconds the visitor has been waiting: in the queue, or for an answer to their last message. */
  waitingMs?: number;
}

export const SECTION_TITLES: Record<Section, string> = { queue: 'Queue', mine: 'My chats', others: 'Other agents', closed: 'Closed' };
const SECTION_ORDER: Section[] = ['queue', 'mine', 'others', 'closed'];

export const isManager = (state: ConsoleState) => state.me.role === 'manager';
export const isMine = (state: ConsoleState, room: RoomView) => room.servedBy?.username === state.me.username;
export const isFromVisitor = (room: RoomView | undefined, message: ChatMessage) => room !== undefined && message.u._id === room.v._id;

/** Whether this console keeps showing a room after a change: managers see every open chat; agents theirs and their queue. */
export function staysVisible(state: ConsoleState, room: RoomView): boolean {
  if (room.status === 'closed') return false;
  return isManager(state) || room.status === 'queued' || isMine(state, room);
}

export function sectionOf(state: ConsoleState, room: RoomView): Section {
  if (room.status === 'closed') return 'closed';
  if (room.status === 'queued') return 'queue';
  return isMine(state, room) ? 'mine' : 'others';
}

export function unreadCount(state: ConsoleState, rid: string): number {
  const read = state.readSeq[rid] ?? 0;
  return (state.messages[rid] ?? []).filter((m) => m.seq > read && !m._hidden && m.u.username !== state.me.username).length;
}

export function waitingMs(state: ConsoleState, room: RoomView): number | undefined {
  if (room.status === 'queued') return Math.max(0, state.now - Date.parse(room.queuedAt ?? room.ts));
  if (room.status === 'closed') return undefined;
  const last = [...(state.messages[room._id] ?? [])].reverse().find((m) => !m._hidden && m.t === undefined);
  return last && isFromVisitor(room, last) ? Math.max(0, state.now - Date.parse(last.ts)) : undefined;
}

const startedAt = (room: RoomView) => room.queuedAt ?? room.ts;

export function listEntries(state: ConsoleState): ListEntry[] {
  const entries = Object.values(state.rooms)
    .filter((room) => room.status !== 'closed' || room._id === state.selected)
    .map((room): ListEntry => {
      const waiting = waitingMs(state, room);
      return { rid: room._id, section: sectionOf(state, room), room, unread: unreadCount(state, room._id), ...(waiting !== undefined && { waitingMs: waiting }) };
    });
  const agentOf = (e: ListEntry) => e.room.servedBy?.username ?? '';
  return entries.sort(
    (a, b) =>
      SECTION_ORDER.indexOf(a.section) - SECTION_ORDER.indexOf(b.section) ||
      (a.section === 'others' ? agentOf(a).localeCompare(agentOf(b)) : 0) ||
      startedAt(a.room).localeCompare(startedAt(b.room)) ||
      a.rid.localeCompare(b.rid),
  );
}

export const listOrder = (state: ConsoleState): string[] => listEntries(state).map((e) => e.rid);

export const selectedRoom = (state: ConsoleState): RoomView | undefined => (state.selected ? state.rooms[state.selected] : undefined);

/** The server lets the serving agent write, and managers write in any open chat. */
export function canReply(state: ConsoleState, room: RoomView | undefined): boolean {
  return room !== undefined && room.status !== 'closed' && (isMine(state, room) || isManager(state));
}

export const canTake = (room: RoomView | undefined) => room?.status === 'queued';

/** Closing and transferring: the serving agent, any agent on a queued chat of theirs, managers on anything open. */
export function canAct(state: ConsoleState, room: RoomView | undefined): boolean {
  return room !== undefined && room.status !== 'closed' && (isManager(state) || room.status === 'queued' || isMine(state, room));
}

export const departmentName = (state: ConsoleState, id: string | undefined) => (id === undefined ? '' : (state.departments[id] ?? id));

export const agentName = (state: ConsoleState, username: string | undefined) => (username === undefined ? '' : (state.agents[username] ?? username));

const USERNAME = /^[A-Za-z0-9._@-]{1,64}$/;
const STATUS_ORDER: Record<string, number> = { available: 0, away: 2, offline: 3 };

/**
 * Transfer targets matching the filter: agents (from the daemon's agent list once fetched, with status and
 * departments; until then those the console has heard of), then departments (the widget configuration lists
 * them). A typed username the list does not have is offered as is. Available agents come first.
 */
export function transferOptions(state: ConsoleState, rid: string, filter: string): TransferOption[] {
  const room = state.rooms[rid];
  const needle = filter.trim().toLowerCase();
  const matches = (id: string, label: string) => needle === '' || id.toLowerCase().includes(needle) || label.toLowerCase().includes(needle);
  const departments = Object.entries(state.departments)
    .filter(([id, name]) => matches(id, name))
    .map(([id, name]): TransferOption => ({ kind: 'department', id, label: name }));
  const known: TransferOption[] = state.directory
    ? state.directory.map((a) => ({ kind: 'agent', id: a.username, label: a.name, status: a.status, departments: a.departments }))
    : Object.entries(state.agents).map(([username, name]) => ({ kind: 'agent', id: username, label: name }));
  const rank = (o: TransferOption) => (o.kind === 'agent' ? (STATUS_ORDER[o.status ?? ''] ?? 1) : 0);
  const agents = known
    .filter((o) => o.id !== state.me.username && o.id !== room?.servedBy?.username && matches(o.id, o.label))
    .sort((a, b) => rank(a) - rank(b));
  const options = [...agents, ...departments];
  const typed = filter.trim();
  if (USERNAME.test(typed) && !options.some((o) => o.kind === 'agent' && o.id === typed) && typed !== state.me.username) {
    options.push({ kind: 'agent', id: typed, label: typed });
  }
  return options;
}

export const unsentCount = (state: ConsoleState) => Object.values(state.pending).reduce((n, list) => n + list.length, 0);
