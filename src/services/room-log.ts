/**
 * Appending to a room's message log. The seq is taken from the in-memory room synchronously, so messages issued
 * in one tick get consecutive seqs in issue order, and group commit writes them in that order.
 *
 * A batch that fails leaves a gap in the seqs (the in-memory room keeps its advanced `msgs`); gaps are harmless
 * because clients resume "after seq N", never "at seq N+1".
 */
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
  const message: Message = {
    ...input,
    _id: input._id ?? deps.newId(),
    rid: room._id,
    seq,
    ts: now,
    _updatedAt: now,
    mentions: [],
    channels: [],
  };
  const next: Room = { ...room, ...extra, msgs: seq, lm: now, _updatedAt: now };
  state.set(next);
  const key = messageKey(room._id, seq);
  return {
    room: next,
    message,
    ops: [
      { type: 'put', collection: 'messages', key, value: message },
      { type: 'put', collection: 'messageIds', key: message._id, value: key },
      { type: 'put', collection: 'rooms', key: next._id, value: next },
    ],
  };
}
