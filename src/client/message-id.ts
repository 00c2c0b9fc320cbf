/**
 * A message's client id: random, because the server keeps it as the message's `_id` and refuses an id that is
 * already in use — ids built from a clock and a per-process counter collide between two clients that send their
 * n-th message in the same millisecond. `getRandomValues`, not `randomUUID`: browsers offer the latter only on
 * secure (HTTPS) pages.
 */
export function newMessageId(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
