/**
 * A small typed client for the two HTTP faces of the chat engine, for black-box integration tests:
 * the Rocket.Chat-compatible visitor API (`/api/v1/livechat/*`) and our agent API (`/api/v1/agent/*`).
 * Every call returns the HTTP status, the headers and the parsed JSON body. No retries, no sleeps, no assertions.
 */
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { startDaemon, type TestDaemon } from './daemon.js';
import { tempDir } from './tmp.js';

export interface Reply<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export interface ErrorBody {
  success: false;
  error: string;
  errorType: string;
}

export interface ServedBy {
  _id: string;
  username: string;
  ts: string;
}

export interface Room {
  _id: string;
  t: 'l';
  status: 'queued' | 'served' | 'closed';
  open: boolean;
  msgs: number;
  code: number;
  ts: string;
  departmentId?: string;
  servedBy?: ServedBy;
  v: { _id: string; username: string; token?: string; status: string; name?: string };
  [key: string]: unknown;
}

export interface Message {
  _id: string;
  rid: string;
  seq: number;
  msg: string;
  ts: string;
  u: { _id: string; username: string; name?: string };
  t?: string;
  token?: string;
  transferData?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface Visitor {
  _id: string;
  username: string;
  token: string;
  name?: string;
  visitorEmails?: { address: string }[];
  department?: string;
  [key: string]: unknown;
}

export interface AgentUser {
  username: string;
  name: string;
  email?: string;
  role: 'agent' | 'manager';
  status: 'available' | 'away' | 'offline';
  departments: string[];
  maxChats: number;
}

type Query = Record<string, string | number | undefined>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  headers?: Record<string, string>;
}

/** One HTTP request; the body of every answer is JSON (errors included), so it is always parsed. */
export async function request<T = Record<string, unknown>>(base: string, method: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> {
  const url = new URL(path, base);
  for (const [key, value] of Object.entries(options.query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  const headers: Record<string, string> = { ...options.headers };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const res = await fetch(url, { method, headers, ...(body !== undefined && { body }) });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`${method} ${path} answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  return { status: res.status, headers: res.headers, body: parsed as T };
}

/** A visitor token like the widget makes (crypto-js WordArray.random(32) → 64 hex characters). */
export function newVisitorToken(): string {
  return randomBytes(32).toString('hex');
}

/** The visitor side, holding one visitor token (the visitor's whole credential). */
export class VisitorClient {
  constructor(
    readonly url: string,
    readonly token: string = newVisitorToken(),
  ) {}

  private call<T>(method: string, path: string, options?: RequestOptions): Promise<Reply<T>> {
    return request<T>(this.url, method, `/api/v1/livechat/${path}`, options);
  }

  config(query: Query = {}) {
    return this.call<{ success: true; config: Record<string, any> }>('GET', 'config', { query: { token: this.token, ...query } });
  }

  register(visitor: { name?: string; email?: string; department?: string; [key: string]: unknown } = {}) {
    return this.call<{ success: true; visitor: Visitor }>('POST', 'visitor', { body: { visitor: { token: this.token, ...visitor } } });
  }

  getVisitor(token = this.token) {
    return this.call<{ success: true; visitor: Visitor }>('GET', `visitor/${encodeURIComponent(token)}`);
  }

  deleteVisitor(token = this.token) {
    return this.call<{ success: true; visitor: { _id: string; ts: string } }>('DELETE', `visitor/${encodeURIComponent(token)}`, { body: {} });
  }

  /** Opens (and routes) the visitor's room, or returns the open one. */
  room(query: { rid?: string; agentId?: string; token?: string } = {}) {
    return this.call<{ success: true; room: Room; newRoom: boolean }>('GET', 'room', { query: { token: this.token, ...query } });
  }

  send(rid: string, msg: string, _id?: string) {
    return this.call<{ success: true; message: Message }>('POST', 'message', { body: { token: this.token, rid, msg, ...(_id !== undefined && { _id }) } });
  }

  message(id: string, rid: string) {
    return this.call<{ success: true; message: Message }>('GET', `message/${encodeURIComponent(id)}`, { query: { token: this.token, rid } });
  }

  /** Newest first. */
  history(rid: string, query: Query = {}) {
    return this.call<{ success: true; messages: Message[] }>('GET', `messages.history/${encodeURIComponent(rid)}`, { query: { token: this.token, ...query } });
  }

  close(rid: string) {
    return this.call<{ success: true; rid: string; comment: string }>('POST', 'room.close', { body: { rid, token: this.token } });
  }

  transfer(rid: string, department: string) {
    return this.call<{ success: true; room: Room }>('POST', 'room.transfer', { body: { rid, token: this.token, department } });
  }

  agentInfo(rid: string) {
    return this.call<{ success: true; agent: Record<string, unknown> }>('GET', `agent.info/${encodeURIComponent(rid)}/${encodeURIComponent(this.token)}`);
  }

  /** The agent a new chat would go to (`{}` without `agent` while the visitor has an open room). */
  nextAgent(department?: string) {
    return this.call<{ success: true; agent?: Record<string, unknown> }>('GET', `agent.next/${encodeURIComponent(this.token)}`, { query: { department: department ?? '' } });
  }

  customFields(customFields: { key: string; value: string; overwrite: boolean }[]) {
    return this.call<{ success: true; fields: { Key: string; value: string; overwrite: boolean }[] }>('POST', 'custom.fields', { body: { token: this.token, customFields } });
  }

  /** Registers and opens a room; returns the room answer (whatever its status). */
  async start(visitor: { name?: string; email?: string; department?: string } = {}) {
    const registered = await this.register(visitor);
    if (registered.status !== 200) throw new Error(`registration failed: ${registered.status} ${JSON.stringify(registered.body)}`);
    return this.room();
  }
}

/** The agent side over HTTP, holding a session token once logged in. */
export class AgentClient {
  constructor(
    readonly url: string,
    public token: string | undefined = undefined,
  ) {}

  private call<T>(method: string, path: string, options: RequestOptions = {}): Promise<Reply<T>> {
    const headers = { ...options.headers, ...(this.token !== undefined && { authorization: `Bearer ${this.token}` }) };
    return request<T>(this.url, method, `/api/v1/agent/${path}`, { ...options, headers });
  }

  /** Logs in; on success the client keeps the token for the calls that follow. */
  async login(username: string, password = 'pw') {
    const reply = await request<{ success: true; token: string; user: AgentUser }>(this.url, 'POST', '/api/v1/agent/login', { body: { username, password } });
    if (reply.status === 200) this.token = reply.body.token;
    return reply;
  }

  logout() {
    return this.call<{ success: true }>('POST', 'logout', { body: {} });
  }

  me() {
    return this.call<{ success: true; user: AgentUser }>('GET', 'me');
  }

  setStatus(status: 'available' | 'away') {
    return this.call<{ success: true; user: AgentUser }>('POST', 'status', { body: { status } });
  }

  rooms() {
    return this.call<{ success: true; rooms: Room[] }>('GET', 'rooms');
  }

  queue() {
    return this.call<{ success: true; rooms: Room[] }>('GET', 'queue');
  }

  /** Oldest first. */
  messages(rid: string, query: { afterSeq?: number; limit?: number } = {}) {
    return this.call<{ success: true; messages: Message[] }>('GET', `rooms/${encodeURIComponent(rid)}/messages`, { query });
  }

  take(rid: string) {
    return this.call<{ success: true; room: Room }>('POST', `rooms/${encodeURIComponent(rid)}/take`, { body: {} });
  }

  send(rid: string, msg: string, clientMsgId?: string) {
    return this.call<{ success: true; message: Message }>('POST', `rooms/${encodeURIComponent(rid)}/messages`, { body: { msg, ...(clientMsgId !== undefined && { clientMsgId }) } });
  }

  close(rid: string, comment?: string) {
    return this.call<{ success: true; room: Room }>('POST', `rooms/${encodeURIComponent(rid)}/close`, { body: comment === undefined ? {} : { comment } });
  }

  transfer(rid: string, target: { agent?: string; department?: string; comment?: string }) {
    return this.call<{ success: true; room: Room }>('POST', `rooms/${encodeURIComponent(rid)}/transfer`, { body: target });
  }
}

/** Logs `username` in (password "pw") and returns the client; throws when the login is refused. */
export async function loginAs(url: string, username: string, password = 'pw'): Promise<AgentClient> {
  const agent = new AgentClient(url);
  const reply = await agent.login(username, password);
  if (reply.status !== 200) throw new Error(`login of ${username} failed: ${reply.status} ${JSON.stringify(reply.body)}`);
  return agent;
}

/** Opens one chat for a fresh visitor; returns the visitor and the room answer. */
export async function openChat(url: string, visitor: { name?: string; department?: string } = {}) {
  const client = new VisitorClient(url);
  const reply = await client.start(visitor);
  return { visitor: client, reply, room: reply.body.room };
}

/** The username serving a room answer, or 'queued'. */
export function servedByOf(room: Room | undefined): string {
  if (!room) return 'no room';
  return room.servedBy?.username ?? room.status;
}

/** Daemons for one test file: each test starts its own on a fresh data dir; `cleanup()` (afterEach) stops them. */
export function chatDaemons() {
  const running: TestDaemon[] = [];
  const dirs: { path: string; remove: () => Promise<void> }[] = [];
  return {
    /** A daemon for `chat/<fixture>.yaml`; pass `dataDir` to reopen a directory a stopped daemon used. */
    async start(fixture: string, dataDir?: string): Promise<TestDaemon & { dataDir: string }> {
      let path = dataDir;
      if (path === undefined) {
        const dir = await tempDir('livechatd-chat-');
        dirs.push(dir);
        path = dir.path;
      }
      const d = await startDaemon(`chat/${fixture}.yaml`, { DATA_DIR: path });
      running.push(d);
      return { ...d, dataDir: path };
    },
    async cleanup(): Promise<void> {
      await Promise.all(running.splice(0).map((d) => d.stop()));
      await Promise.all(dirs.splice(0).map((d) => d.remove()));
    },
  };
}

/** An ISO 8601 timestamp as `Date#toISOString()` writes it. */
export const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * A Rocket.Chat visitor-API error (spec §1.0, shape A): HTTP 400, `{success:false, error, errorType}`. With a
 * reason the string is exactly `"<reason> [<code>]"`; without one the spec allows `"[code]"` or `"Reason [code]"`.
 */
export function expectRcError(reply: Reply<unknown>, code: string, reason?: string): void {
  const error = reason === undefined ? expect.stringMatching(new RegExp(`^(?:.+ )?\\[${code}\\]$`)) : `${reason} [${code}]`;
  expect({ status: reply.status, body: reply.body }).toEqual({ status: 400, body: { success: false, error, errorType: code } });
}

/** Any error answer: a 4xx JSON body with success:false and our error shape. */
export function expectRefused(reply: Reply<unknown>): void {
  expect(reply.status).toBeGreaterThanOrEqual(400);
  expect(reply.status).toBeLessThan(500);
  expect(reply.body).toEqual({ success: false, error: expect.stringMatching(/\[[a-z-]+\]$/), errorType: expect.any(String) });
}

/** Two answers a client cannot tell apart (status and body): used to show that someone else's room reads as missing. */
export function expectSameAnswer(actual: Reply<unknown>, missing: Reply<unknown>): void {
  expectRefused(missing);
  expect({ status: actual.status, body: actual.body }).toEqual({ status: missing.status, body: missing.body });
}

/** A room id that no daemon ever handed out. */
export const NO_SUCH_ROOM = 'NoSuchRoom2345678';
