/**
 * A message id chosen by the client (17 characters, like Meteor's: Rocket.Chat clients sometimes assume that
 * shape); sending it twice stores one message. Random, because the server keeps it as the message's `_id` and
 * refuses an id already in use — ids built from a clock and a per-process counter collide between two clients
 * that send their n-th message in the same millisecond. `getRandomValues`, not `randomUUID`: browsers offer the
 * latter only on secure (HTTPS) pages. The widget uses this too.
 */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';

export function newMessageId(): string {
  return Array.from(globalThis.crypto.getRandomValues(new Uint8Array(17)), (b) => ALPHABET[b % ALPHABET.length]).join('');
}
