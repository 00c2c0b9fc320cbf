/**
 * The agent's client: password login over HTTP, then the `/ws/agent` channel with reconnect and resume. Used by
 * the terminal UI, the tests and the benchmarks.
 */
import { Channel, type ConnectionState, type Frame } from './channel.js';
import { callJson } from './http.js';
import { newMessageId } from './message-id.js';
import { wsUrl, type SocketFactory } from './socket.js';
import type { BackoffOptions } from './backoff.js';

export interface AgentClientOptions {
  server: string;
  socket: SocketFactory;
  backoff?: BackoffOptions;
}

/** A message as agents receive it (the visitor's token removed). */
export interface AgentMessage {
  _id: string;
  rid: string;
  seq: number;
  msg: string;
  ts: string;
  u: { _id: string; username: string; name?: string };
  t?: string;
  [key: string]: unknown;
}

/** What the public widget configuration tells an agent's console: departments to transfer to, the length limit. */
export interface SiteInfo {
  departments: { _id: string; name: string }[];
  messageMaxLength?: number;
}

/** A room's visitor as agents see it (`GET /api/v1/agent/rooms/:rid/visitor`); every string is visitor-supplied. */
export interface VisitorDetails {
  _id: string;
  username: string;
  name?: string;
  email?: string;
  phone?: string;
  department?: { _id: string; name: string };
  customFields: { id: string; label: string; value: string }[];
  userAgent?: string;
  browser?: string;
  os?: string;
  ip?: string;
}

export interface PageVisit {
  ts: string;
  title: string;
  href: string;
}

export interface VisitorInfo {
  visitor: VisitorDetails;
  pages: PageVisit[];
}

/** A configured agent (`GET /api/v1/agent/agents`), for transfer pickers. */
export interface AgentEntry {
  username: string;
  name: string;
  status: 'available' | 'away' | 'offline';
  departments: string[];
}

export interface AgentLogin {
  token: string;
  user: { username: string; name: string; role: 'agent' | 'manager'; status: string; departments: string[] };
}

export class AgentClient {
  #channel: Channel | null = null;
  #token = '';

  constructor(private readonly options: AgentClientOptions) {}

  async login(username: string, password: string): Promise<AgentLogin> {
    const login = await callJson<AgentLogin>(this.options.server, 'POST', '/api/v1/agent/login', { body: { username, password } });
    this.#token = login.token;
    return login;
  }

  /**
   * A room's messages after `afterSeq`, oldest first. The channel replays the rooms of `ready`; a room that appears
   * later (taken over, transferred in) streams only what follows, so the console fetches what came before here.
   */
  async messages(rid: string, afterSeq = 0): Promise<AgentMessage[]> {
    const out: AgentMessage[] = [];
    for (let after = afterSeq; ; ) {
      const path = `/api/v1/agent/rooms/${encodeURIComponent(rid)}/messages?afterSeq=${after}&limit=1000`;
      const page = await callJson<{ messages: AgentMessage[] }>(this.options.server, 'GET', path, { bearer: this.#token });
      out.push(...page.messages);
      if (page.messages.length < 1000) return out;
      after = page.messages[page.messages.length - 1]!.seq;
    }
  }

  /** A room's visitor details and the pages they visited (oldest first). */
  async visitor(rid: string): Promise<VisitorInfo> {
    const res = await callJson<VisitorInfo>(this.options.server, 'GET', `/api/v1/agent/rooms/${encodeURIComponent(rid)}/visitor`, { bearer: this.#token });
    return { visitor: res.visitor, pages: res.pages };
  }

  /** The configured agents with their live status and departments. */
  async agents(): Promise<AgentEntry[]> {
    return (await callJson<{ agents: AgentEntry[] }>(this.options.server, 'GET', '/api/v1/agent/agents', { bearer: this.#token })).agents;
  }

  /** Departments and limits from the public widget configuration (`GET /api/v1/livechat/config`). */
  async siteInfo(): Promise<SiteInfo> {
    const res = await callJson<{ config: { departments?: { _id: string; name: string }[]; settings?: { limitTextLength?: number } } }>(
      this.options.server,
      'GET',
      '/api/v1/livechat/config',
    );
    const limit = res.config.settings?.limitTextLength;
    return { departments: (res.config.departments ?? []).map((d) => ({ _id: d._id, name: d.name })), ...(typeof limit === 'number' && { messageMaxLength: limit }) };
  }

  /** Opens the realtime channel; resolves with the first `ready` snapshot. */
  connect(): Promise<Frame> {
    this.#channel?.close();
    this.#channel = new Channel({
      url: wsUrl(this.options.server, '/ws/agent'),
      token: () => this.#token,
      socket: this.options.socket,
      ...(this.options.backoff && { backoff: this.options.backoff }),
      // With no cursor yet, start from the beginning: the console shows the whole conversation.
      initialCursor: () => 0,
      roomsInReady: (ready) =>
        [...((ready.rooms as { room: { _id: string }; lastSeq: number }[]) ?? []), ...((ready.queue as { room: { _id: string }; lastSeq: number }[]) ?? [])].map(
          (r) => ({ rid: r.room._id, lastSeq: r.lastSeq }),
        ),
    });
    return this.#channel.ready();
  }

  get channel(): Channel {
    if (!this.#channel) throw new Error('not connected');
    return this.#channel;
  }

  on(listener: (frame: Frame) => void): () => void {
    return this.channel.on(listener);
  }

  onState(listener: (state: ConnectionState, detail?: string) => void): () => void {
    return this.channel.onState(listener);
  }

  /** Resolves with the ack once the message is durable. */
  send(rid: string, msg: string, clientMsgId = newMessageId()): Promise<Frame> {
    return this.channel.request({ type: 'send', rid, msg, clientMsgId }, clientMsgId);
  }

  take(rid: string): Promise<Frame> {
    return this.channel.request({ type: 'take', rid });
  }

  close(rid: string, comment?: string): Promise<Frame> {
    return this.channel.request({ type: 'close', rid, ...(comment !== undefined && { comment }) });
  }

  transfer(rid: string, target: { agent: string } | { department: string }, comment?: string): Promise<Frame> {
    return this.channel.request({ type: 'transfer', rid, ...target, ...(comment !== undefined && { comment }) });
  }

  setStatus(status: 'available' | 'away'): Promise<Frame> {
    return this.channel.request({ type: 'status', status });
  }

  typing(rid: string, typing: boolean): void {
    this.channel.notify({ type: 'typing', rid, typing });
  }

  async logout(): Promise<void> {
    this.disconnect();
    await callJson(this.options.server, 'POST', '/api/v1/agent/logout', { bearer: this.#token, body: {} });
  }

  disconnect(): void {
    this.#channel?.close();
    this.#channel = null;
  }
}
