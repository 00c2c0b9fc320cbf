/**
 * Who of the configured agents and managers is logged in and what status they chose.
 *
 * A session is created by a password login and stored by the SHA-256 of its token (never the token). It is
 * bound to a fingerprint of the user's password hash, so changing the hash in YAML logs the user out, and it
 * stops working as soon as the user is no longer in the configuration. The chosen status (`available`/`away`)
 * outlives sessions and restarts; with no live session the user is `offline`.
 *
 * Being logged in is not being online: an agent is online while a console connection is open. A logged-in user
 * with no connection — after a REST-only login, or for every persisted session when the daemon starts — is
 * reported to `onUnattended`, which gives them the same grace period as a dropped connection.
 */
import { createHash } from 'node:crypto';
import type { ConfigSnapshot } from '../config/index.js';
import type { AgentStatus } from '../domain/events.js';
import type { BatchOp, Store } from '../domain/ports/store.js';
import { hashToken, newSessionToken } from './ids.js';

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export interface Session {
  username: string;
  createdAt: string;
  expiresAt: string;
  /** Ties the session to the password hash it was created under. */
  credential: string;
}

export class AgentPresence {
  readonly #sessions = new Map<string, Session>(); // by token hash
  readonly #chosen = new Map<string, 'available' | 'away'>();
  /** Open agent WebSocket connections per user. */
  readonly #connections = new Map<string, number>();
  /** Users whose last connection dropped and whose grace period ran out: offline until they come back. */
  readonly #lapsed = new Set<string>();
  #unattended: (username: string) => void = () => undefined;

  constructor(
    private readonly config: () => ConfigSnapshot,
    private readonly now: () => Date,
  ) {}

  /** Called with a user who is logged in but has no open connection (set once, by the live services). */
  onUnattended(listener: (username: string) => void): void {
    this.#unattended = listener;
  }

  async load(store: Store): Promise<void> {
    for await (const [hash, session] of store.range<Session>('sessions')) this.#sessions.set(hash, session);
    for await (const [username, state] of store.range<{ status: 'available' | 'away' }>('agents')) {
      this.#chosen.set(username, state.status);
    }
  }

  /**
   * Nobody is connected to a daemon that just started: every persisted login starts its grace period. Call once
   * the rooms are loaded too — a grace of 0 lapses at once and re-routes that agent's rooms.
   */
  startGracePeriods(): void {
    const loggedIn = new Set([...this.#sessions.values()].filter((s) => this.#isLive(s)).map((s) => s.username));
    for (const username of loggedIn) if (!this.isConnected(username)) this.#unattended(username);
  }

  /** A new session for a user whose password was just verified: the token to hand out, and the op to persist. */
  open(username: string, passwordHash: string): { token: string; session: Session; op: BatchOp } {
    const token = newSessionToken();
    const now = this.now();
    const session: Session = {
      username,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS).toISOString(),
      credential: fingerprint(passwordHash),
    };
    const key = hashToken(token);
    this.#sessions.set(key, session);
    this.#lapsed.delete(username);
    if (!this.isConnected(username)) this.#unattended(username);
    return { token, session, op: { type: 'put', collection: 'sessions', key, value: session } };
  }

  /** The username a token authenticates, or undefined (unknown, expired, user removed, password changed). */
  authenticate(token: string): string | undefined {
    const session = this.#sessions.get(hashToken(token));
    return session && this.#isLive(session) ? session.username : undefined;
  }

  close(token: string): BatchOp {
    const key = hashToken(token);
    this.#sessions.delete(key);
    return { type: 'del', collection: 'sessions', key };
  }

  /** Forgets a session that could not be persisted. */
  discard(token: string): void {
    this.#sessions.delete(hashToken(token));
  }

  choose(username: string, status: 'available' | 'away'): BatchOp {
    this.#chosen.set(username, status);
    return { type: 'put', collection: 'agents', key: username, value: { status } };
  }

  /** Returns true when this is the user's first open connection. */
  connected(username: string): boolean {
    const count = (this.#connections.get(username) ?? 0) + 1;
    this.#connections.set(username, count);
    this.#lapsed.delete(username);
    return count === 1;
  }

  /** Returns true when that was the user's last open connection. */
  disconnected(username: string): boolean {
    const count = (this.#connections.get(username) ?? 1) - 1;
    if (count > 0) this.#connections.set(username, count);
    else this.#connections.delete(username);
    return count <= 0;
  }

  isConnected(username: string): boolean {
    return this.#connections.has(username);
  }

  /** The grace period after the last connection ran out: the user stops receiving chats until they return. */
  lapse(username: string): void {
    if (!this.isConnected(username)) this.#lapsed.add(username);
  }

  status(username: string): AgentStatus {
    if (!this.isLoggedIn(username) || this.#lapsed.has(username)) return 'offline';
    return this.#chosen.get(username) ?? 'available';
  }

  isLoggedIn(username: string): boolean {
    for (const session of this.#sessions.values()) {
      if (session.username === username && this.#isLive(session)) return true;
    }
    return false;
  }

  /** Logged in and available: may receive chats. */
  isOnline(username: string): boolean {
    return this.status(username) === 'available';
  }

  #isLive(session: Session): boolean {
    const user = this.config().users[session.username];
    return (
      user !== undefined &&
      // Both sides are ours (a fingerprint stored at login, one of the configured hash): nothing for a timing attack.
      session.credential === fingerprint(user.passwordHash) &&
      Date.parse(session.expiresAt) > this.now().getTime()
    );
  }
}

function fingerprint(passwordHash: string): string {
  return createHash('sha256').update(passwordHash).digest('hex').slice(0, 16);
}
