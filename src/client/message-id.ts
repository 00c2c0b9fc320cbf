/**
 * A message id chosen by the client; sending it twice stores one message. Random, because the server keeps it as
 * the message's `_id` and refuses an id already in use — ids built from a clock and a per-process counter collide
 * between two clients that send their n-th message in the same millisecond. The widget uses this too.
 */
import { randomId } from '../domain/random-id.js';

export function newMessageId(): string {
  return randomId();
}
