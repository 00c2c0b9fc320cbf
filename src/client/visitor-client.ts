/**
 * The visitor's client: the Rocket.Chat-compatible REST calls plus the `/ws/visitor` channel with reconnect and
 * resume. Messages carry a client-chosen `_id`, so a retry never creates a second message; they go over the
 * channel while it is open (a `send` frame, answered by `ack` once durable, sent again after a reconnect) and over
 * REST otherwise, so a page whose WebSocket cannot connect still chats.
 */
import { Channel, type Frame } from './channel.js';
import { callJson } from './http.js';
import { newMessageId } from './message-id.js';
import { wsUrl, type SocketFactory } from './socket.js';
import type { BackoffOptions } from './backoff.js';

export interface VisitorClientOptions {
  server: string;
  token: string;
  socket: SocketFactory;
  backoff?: BackoffOptions;
}

export interface RoomInfo {
  _id: string;
  status: string;
  msgs: number;
  servedBy?: { username: string };
}

export class VisitorClient {
  #channel: Channel | null = null;

  constructor(private readonly options: VisitorClientOptions) {}

  get token(): string {
    return this.options.token;
  }

  async register(visitor: { name?: string; email?: string; department?: string } = {}): Promise<{ _id: string; username: string }> {
    const res = await callJson<{ visitor: { _id: string; username: string } }>(this.options.server, 'POST', '/api/v1/livechat/visitor', {
      body: { visitor: { token: this.options.token, ...visitor } },
    });
    return res.visitor;
  }

  async openRoom(): Promise<{ room: RoomInfo; newRoom: boolean }> {
    return callJson(this.options.server, 'GET', `/api/v1/livechat/room?token=${encodeURIComponent(this.options.token)}`);
  }

  async send(rid: string, msg: string, _id = newMessageId()): Promise<{ _id: string; seq: number }> {
    if (this.#channel?.state === 'open') {
      const ack = await this.#channel.request({ type: 'send', rid, msg, clientMsgId: _id }, _id);
      return { _id: ack._id as string, seq: ack.seq as number };
    }
    const res = await callJson<{ message: { _id: string; seq: number } }>(this.options.server, 'POST', '/api/v1/livechat/message', {
      body: { token: this.options.token, rid, msg, _id },
    });
    return res.message;
  }

  async closeRoom(rid: string): Promise<void> {
    await callJson(this.options.server, 'POST', '/api/v1/livechat/room.close', { body: { token: this.options.token, rid } });
  }

  /** Opens the realtime channel; resolves with the first `ready`. */
  connect(): Promise<Frame> {
    this.#channel?.close();
    this.#channel = new Channel({
      url: wsUrl(this.options.server, '/ws/visitor'),
      token: () => this.options.token,
      socket: this.options.socket,
      ...(this.options.backoff && { backoff: this.options.backoff }),
      initialCursor: () => 0,
      roomsInReady: (ready) => {
        const room = ready.room as { _id: string; lastSeq: number } | null;
        return room ? [{ rid: room._id, lastSeq: room.lastSeq }] : [];
      },
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

  typing(rid: string, typing: boolean): void {
    this.channel.notify({ type: 'typing', rid, typing });
  }

  disconnect(): void {
    this.#channel?.close();
    this.#channel = null;
  }
}
