/**
 * Domain values → EJSON as Rocket.Chat's streamer sends them. The domain keeps dates as ISO strings; on DDP a
 * date is `{"$date": <epoch ms>}`.
 */
import type { Message } from '../../domain/message.js';

export interface EJsonDate {
  $date: number;
}

export function ejsonDate(iso: string): EJsonDate {
  return { $date: Date.parse(iso) };
}

export type DdpMessage = Omit<Message, 'ts' | '_updatedAt' | 'editedAt'> & { ts: EJsonDate; _updatedAt: EJsonDate; editedAt?: EJsonDate };

/**
 * `ts` MUST be `{$date}`: the SDK does `new Date(ts.$date)` and the widget then calls `toISOString()`, which throws
 * on the Invalid Date an ISO string would give, and the message is silently dropped. `_updatedAt` and `editedAt`
 * are Dates in Rocket.Chat too; the widget only tests `editedAt` for truthiness, so their shape is for fidelity.
 */
export function ddpMessage(message: Message): DdpMessage {
  const { ts, _updatedAt, editedAt, ...rest } = message;
  return { ...rest, ts: ejsonDate(ts), _updatedAt: ejsonDate(_updatedAt), ...(editedAt !== undefined && { editedAt: ejsonDate(editedAt) }) };
}

