/**
 * Appending to a room's message log. The seq is taken from the in-memory room synchronously, so messages issued
 * in one tick get consecutive seqs in issue order, and group commit writes them in that order.
 *
 * A seq is never handed out twice once a message may have been written with it. A batch that fails gives its seqs
 * back only when no later message took the ones after (ChatState.restore); otherwise it leaves a gap, which is
 * harmless because clients resume "after seq N", never "at seq N+1".
 *
 * Invariant: a room's stored document may lag behind its messages in the fields a message changes — `msgs`, `lm`,
 * `_updatedAt`, `waitingResponse` — because they follow from the room's last message, and ChatState.load derives
 * them from it (see `caughtUp`). So a plain message writes the message and its id, not the whole room again; any
 * other change to the room (`extra`: a close, a department) writes the room in the same batch.
 */
import { jsonText } from '../domain/json-text.js';
import type { Message } from '../domain/message.js';
import type { Room } from '../domain/room.js';
import { messageKey, type BatchOp } from '../domain/ports/store.js';
import type { ChatState } from './chat-state.js';
import type { ServiceDeps } from './context.js';

export type NewMessage = Omit<Message, 'rid' | 'seq' | 'ts' | '_updatedAt' | 'mentions' | 'channels' | '_id'> & { _id?: string };

export interface Appended {
  room: Room;
  message: Message;
  ops: BatchOp[];
}

/**
 * Builds the next message of `room` and the room's new version (last message time, count). The room change is
 * applied to `state` when the room is open; `extra` lets the caller change the room in the same step (close).
 */
export function appendMessage(deps: ServiceDeps, state: ChatState, room: Room, input: NewMessage, extra: Partial<Room> = {}): Appended {
  const now = deps.now().toISOString();
  const seq = room.msgs + 1;
  // The fixed fields first, the caller's last: spreading into a literal that already has its shape allocates a
  // tenth of what adding fields after a spread does (that object is rebuilt as it grows) — per message, it counts.
  const message: Message = { _id: '', rid: room._id, seq, ts: now, _updatedAt: now, mentions: [], channels: [], ...input };
  message._id = input._id ?? deps.newId();
  jsonText(message); // final from here on: the store's write and the frames that carry it share this text
  state.messageIds.add(message._id); // before the write: a post racing this one must not take the id as new
  const next: Room = { ...room, ...extra, msgs: seq, lm: now, _updatedAt: now };
  state.set(next);
  const key = messageKey(room._id, seq);
  const ops: BatchOp[] = [
    { type: 'put', collection: 'messages', key, value: message },
    { type: 'put', collection: 'messageIds', key: message._id, value: key },
  ];
  if (changesMoreThanDerived(extra)) ops.push({ type: 'put', collection: 'rooms', key: next._id, value: next });
  return { room: next, message, ops };
}

function changesMoreThanDerived(extra: Partial<Room>): boolean {
  for (const field in extra) if (!DERIVED.has(field)) return true;
  return false;
}

/** The room fields that follow from its last message (see the invariant above). */
const DERIVED: ReadonlySet<string> = new Set(['msgs', 'lm', '_updatedAt', 'waitingResponse']);

/** Whether `later` is `room` with only messages appended since: the same in every field but the derived ones. */
export function onlyMessagesSince(room: Room, later: Room): boolean {
  for (const field in later) if (!DERIVED.has(field) && later[field as keyof Room] !== room[field as keyof Room]) return false;
  for (const field in room) if (!DERIVED.has(field) && !(field in later)) return false;
  return true;
}

/** `room` with the derived fields of `later`: the messages appended to a version of it, kept. */
export function withMessagesOf(room: Room, later: Room): Room {
  const next: Room = { ...room, msgs: later.msgs, _updatedAt: later._updatedAt };
  if (later.lm !== undefined) next.lm = later.lm;
  if (later.waitingResponse !== undefined) next.waitingResponse = later.waitingResponse;
  return next;
}

/**
 * A stored room brought up to its last message (`last`, the message with the highest seq, if any). Messages after
 * the stored `msgs` are plain posts (anything else wrote the room), so the newest of them says whether the room
 * waits for an agent's answer. A room whose last message was deleted keeps its `msgs`: seqs are never reused.
 */
export function caughtUp(room: Room, last: Message | undefined): Room {
  if (!last || last.seq <= room.msgs) return room;
  return { ...room, msgs: last.seq, lm: last.ts, _updatedAt: last.ts > room._updatedAt ? last.ts : room._updatedAt, waitingResponse: last.token !== undefined };
}
