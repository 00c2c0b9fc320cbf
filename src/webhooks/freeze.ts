/**
 * Completes a room job's payload from the store, once, before its first attempt: the visitor record (by the
 * room's visitor token) and, except for `Message` events, the room's messages 1..msgs as they were when the
 * event happened. Messages posted after the event are not included; ones deleted since are gone.
 *
 * `LivechatSession` jobs normally arrive frozen (the close reads its record, see outbox.ts): this serves the
 * opt-in room events, a close that could not read a complete record, and jobs stored by earlier versions.
 */
import type { Message } from '../domain/message.js';
import { messageKey, type Store } from '../domain/ports/store.js';
import type { Room } from '../domain/room.js';
import type { Visitor } from '../domain/visitor.js';
import type { DeliveryJob } from './jobs.js';
import { roomPayload, type RoomEvent } from './payloads.js';

/** The job with `payload` set and `source` dropped; a job already frozen comes back as it is. */
export async function freeze(store: Store, job: DeliveryJob): Promise<DeliveryJob> {
  if (job.payload !== undefined) return job;
  if (job.source === undefined) throw new Error(`webhook job ${job.id} has neither a payload nor its source`);
  const { source, ...rest } = job;
  const visitor = await store.get<Visitor>('visitors', source.room.v.token);
  const messages = source.message ? [source.message] : await history(store, source.room);
  return { ...rest, payload: roomPayload(job.event as RoomEvent, source, visitor, messages) };
}

async function history(store: Store, room: Room): Promise<Message[]> {
  if (room.msgs === 0) return [];
  const out: Message[] = [];
  const range = { gte: messageKey(room._id, 1), lte: messageKey(room._id, room.msgs) };
  for await (const [, message] of store.range<Message>('messages', range)) out.push(message);
  return out;
}
