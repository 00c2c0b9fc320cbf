/**
 * Identifiers and secrets. Ids are domain/random-id.ts's (shared with the clients). Session tokens are 256 random
 * bits; only their SHA-256 is stored, so a copy of the data directory cannot log in.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export { randomId } from '../domain/random-id.js';

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * Whether two secrets (visitor tokens, credentials) are equal, in time that says nothing about a common prefix.
 * A length mismatch answers at once: lengths are not secret (visitor tokens are 16–128 characters of the client's
 * choosing, credentials have fixed shapes), and this runs for every message, so it hashes nothing.
 */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
