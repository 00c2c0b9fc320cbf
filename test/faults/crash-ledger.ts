/**
 * The crash-loop driver's own record of what the daemon acknowledged, and the check of the daemon's state against
 * it. The daemon's word counts only when it answered: a request cut by the kill is "unknown" (it may or may not
 * have been applied) and is retried with the same id in the next cycle, which must then answer exactly once.
 */
import { AgentClient, VisitorClient, type Message } from '../helpers/chat.js';
import type { Receiver } from '../helpers/receiver.js';

export type Outcome = 'acked' | 'unknown';

export interface SentMessage {
  /** The client-chosen id (visitor `_id`, agent `clientMsgId`), which is also the stored `_id`. */
  id: string;
  rid: string;
  outcome: Outcome;
}

export interface RoomEntry {
  rid: string;
  token: string;
  agent: string;
  /** `seen`: a close whose answer was lost, found applied by a later check. */
  close: 'none' | 'acked' | 'unknown' | 'seen';
}

export class Ledger {
  readonly rooms = new Map<string, RoomEntry>();
  readonly messages = new Map<string, SentMessage>();
  acks = 0;

  record(id: string, rid: string, outcome: Outcome): void {
    const previous = this.messages.get(id);
    if (previous?.outcome === 'acked' && outcome === 'unknown') return; // an ack is never taken back
    this.messages.set(id, { id, rid, outcome });
  }

  closed(room: RoomEntry): boolean {
    return room.close === 'acked' || room.close === 'seen';
  }
}

/** LivechatSession deliveries by room id → the distinct webhook-ids that carried one (re-deliveries share an id). */
export function sessionDeliveries(receiver: Receiver): Map<string, Set<string>> {
  const byRoom = new Map<string, Set<string>>();
  for (const r of receiver.delivered()) {
    if (r.body?.type !== 'LivechatSession') continue;
    const rid = String(r.body._id);
    byRoom.set(rid, (byRoom.get(rid) ?? new Set()).add(String(r.headers['webhook-id'])));
  }
  return byRoom;
}

/**
 * Every invariant, as a list of violations (empty: all hold). Reads through the public APIs only: the visitor's
 * history and room lookup, and each agent's room list. Marks unknown closes found applied as `seen`.
 */
export async function checkLedger(url: string, ledger: Ledger, receiver: Receiver, agents: AgentClient[]): Promise<string[]> {
  const problems: string[] = [];
  const served = new Map<string, number>();
  for (const agent of agents) {
    const reply = await agent.rooms();
    if (reply.status !== 200) problems.push(`agent rooms answered ${reply.status}`);
    for (const room of reply.body.rooms ?? []) served.set(room._id, (served.get(room._id) ?? 0) + 1);
  }
  const expected = new Map<string, SentMessage[]>();
  for (const m of ledger.messages.values()) expected.set(m.rid, [...(expected.get(m.rid) ?? []), m]);

  const rooms = [...ledger.rooms.values()];
  for (let i = 0; i < rooms.length; i += 16) {
    await Promise.all(rooms.slice(i, i + 16).map((room) => checkRoom(url, ledger, room, expected.get(room.rid) ?? [], served.get(room.rid) ?? 0, problems)));
  }
  for (const [rid, ids] of sessionDeliveries(receiver)) {
    const room = ledger.rooms.get(rid);
    if (ids.size > 1) problems.push(`${rid}: ${ids.size} different LivechatSession events`);
    if (room && !ledger.closed(room)) problems.push(`${rid}: LivechatSession delivered for a room that is open`);
  }
  return problems;
}

async function checkRoom(url: string, ledger: Ledger, room: RoomEntry, sent: SentMessage[], servedCount: number, problems: string[]): Promise<void> {
  const visitor = new VisitorClient(url, room.token);
  const [history, lookup] = await Promise.all([visitor.history(room.rid, { limit: 100 }), visitor.room({ rid: room.rid })]);
  if (history.status !== 200) return void problems.push(`${room.rid}: history answered ${history.status} ${JSON.stringify(history.body)}`);
  const messages: Message[] = history.body.messages;
  const ids = messages.map((m) => m._id);
  const dupes = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (dupes.length > 0) problems.push(`${room.rid}: stored twice: ${dupes.join(', ')}`);
  const stored = new Set(ids);
  for (const m of sent) if (m.outcome === 'acked' && !stored.has(m.id)) problems.push(`${room.rid}: acknowledged message ${m.id} is missing`);

  const closeMessages = messages.filter((m) => m.t === 'livechat-close').length;
  const open = lookup.status === 200;
  if (!open && (lookup.body as { errorType?: string }).errorType !== 'invalid-room') problems.push(`${room.rid}: room lookup answered ${lookup.status} ${JSON.stringify(lookup.body)}`);
  if (room.close === 'unknown' && closeMessages > 0) room.close = 'seen';
  const closed = ledger.closed(room);
  if (closeMessages !== (closed ? 1 : 0)) problems.push(`${room.rid}: ${closeMessages} close messages, room ${room.close}`);
  if (open === closed) problems.push(`${room.rid}: close ${room.close} but the room is ${open ? 'open' : 'not open'} for its visitor`);
  if (servedCount !== (closed ? 0 : 1)) problems.push(`${room.rid}: close ${room.close} but listed by ${servedCount} agents`);
}
