/** Rooms, messages and states as the daemon would send them, for the console's unit and component tests. */
import type { Action } from '../../../src/tui/actions.js';
import { reduce } from '../../../src/tui/reduce.js';
import { initialState, type ConsoleState } from '../../../src/tui/state.js';
import type { ChatMessage, Profile, RoomView } from '../../../src/tui/wire.js';

export const NOW = Date.parse('2024-05-02T14:10:00.000Z');
export const minutesAgo = (m: number) => new Date(NOW - m * 60_000).toISOString();

export const alice: Profile = { username: 'alice', name: 'Alice Archer', role: 'agent', status: 'available', departments: ['sales'] };
export const lead: Profile = { username: 'lead', name: 'Lee Lead', role: 'manager', status: 'available', departments: [] };

export function room(id: string, overrides: Partial<RoomView> = {}): RoomView {
  return {
    _id: id,
    fname: `Visitor ${id}`,
    status: 'queued',
    msgs: 0,
    ts: minutesAgo(5),
    queuedAt: minutesAgo(5),
    code: 7,
    departmentId: 'sales',
    v: { _id: `v-${id}`, username: `guest-${id}`, status: 'online', name: `Visitor ${id}` },
    livechatData: {},
    ...overrides,
  };
}

export const served = (id: string, by = 'alice', overrides: Partial<RoomView> = {}) =>
  room(id, { status: 'served', servedBy: { _id: by, username: by }, ...overrides });

/** A visitor's message in room `rid` (the visitor id follows `room()`'s). */
export function fromVisitor(rid: string, seq: number, msg: string, overrides: Partial<ChatMessage> = {}): ChatMessage {
  return { _id: `${rid}-m${seq}`, rid, seq, msg, ts: minutesAgo(3), u: { _id: `v-${rid}`, username: `guest-${rid}`, name: `Visitor ${rid}` }, ...overrides };
}

export function fromAgent(rid: string, seq: number, msg: string, username = 'alice', name = 'Alice Archer'): ChatMessage {
  return { _id: `${rid}-a${seq}`, rid, seq, msg, ts: minutesAgo(2), u: { _id: username, username, name } };
}

export function ready(me: Profile, rooms: RoomView[], queue: RoomView[] = []): Action {
  return {
    type: 'frame',
    frame: { type: 'ready', user: me, rooms: rooms.map((r) => ({ room: r, lastSeq: r.msgs })), queue: queue.map((r) => ({ room: r, lastSeq: r.msgs })) },
  };
}

export const frame = (f: object): Action => ({ type: 'frame', frame: f as never });

export function stateAfter(me: Profile, ...actions: Action[]): ConsoleState {
  const start = initialState({ server: 'http://127.0.0.1:3000', me, now: NOW });
  return actions.reduce(reduce, { ...start, departments: { sales: 'Sales', support: 'Support' } });
}
