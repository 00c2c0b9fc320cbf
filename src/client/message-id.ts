/**
 * A message's client id: random, because the server keeps it as the message's `_id` and refuses an id that is
 * already in use — ids built from a clock and a per-process counter collide between two clients that send their
 * n-th message in the same millisecond.
 */
export function newMessageId(): string {
  return globalThis.crypto.randomUUID();
}
