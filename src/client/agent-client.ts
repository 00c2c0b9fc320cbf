/**
 * The agent's client: password login over HTTP, then the `/ws/agent` channel with reconnect and resume. Used by
 * the terminal UI, the tests and the benchmarks.
 */
import { Channel, type ConnectionState, type Frame } from './channel.js';
import { callJson } from './http.js';
import { wsUrl, type SocketFactory } from './socket.js';
import type { BackoffOptions } from './backoff.js';

export interface AgentClientOptions {
  server: string;
  socket: SocketFactory;
  backoff?: BackoffOptions;
}

export interface AgentLogin {
  token: string;
  user: { username: string; name: string; role: 'agent' | 'manager'; status: string; departments: string[] };
}

let clientIds = 0;

export class AgentClient {
  #channel: Channel | null = null;
  #token = '';

  constructor(private readonly options: AgentClientOptions) {}

  async login(username: string, password: string): Promise<AgentLogin> {
    const login = await callJson<AgentLogin>(this.options.server, 'POST', '/api/v1/agent/login', { body: { username, password } });
    this.#token = login.token;
    return login;
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
  send(rid: string, msg: string, clientMsgId = `c${Date.now().toString(36)}${(++clientIds).toString(36)}`): Promise<Frame> {
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
