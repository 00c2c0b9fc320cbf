/**
 * Random ids like Meteor's (17 characters of an unambiguous alphabet) because Rocket.Chat clients sometimes assume
 * that shape; they contain no '!' so message keys `${rid}!${seq}` stay unambiguous. From `crypto.getRandomValues`,
 * which the daemon, the agent console and the widget all have (browsers offer `randomUUID` only on HTTPS pages).
 */
const ALPHABET = '23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz';
/** Bytes from here up are drawn again: below it every character is equally likely (4 × 55 = 220). */
const UNBIASED_BELOW = 256 - (256 % ALPHABET.length);

export function randomId(length = 17): string {
  let id = '';
  while (id.length < length) {
    for (const byte of globalThis.crypto.getRandomValues(new Uint8Array(length - id.length))) {
      if (byte < UNBIASED_BELOW) id += ALPHABET[byte % ALPHABET.length];
    }
  }
  return id;
}
