/**
 * The visitor's session: loads the config, keeps the realtime channel, and runs what the visitor does (register,
 * send, close, leave a message). The UI reads `state` and calls the public methods; the host page's calls
 * arrive through `host-calls.ts`, the server's frames through `frames.ts`.
 */
import type { SocketLike } from '../../src/client/socket';
import { newMessageId } from '../../src/client/message-id';
import { VisitorClient } from '../../src/client/visitor-client';
import { EVENTS, type HostEvent, type PageInfo } from '../shared/protocol';
import { fetchConfig, newToken, openRoom, SERVER, sendCustomField, sendOfflineMessage, sendPageVisit, withoutEmpty, VISITOR_TOKEN } from './api';
import { toParent } from './bridge';
import { applyFrame } from './frames';
import { save, saved } from './storage';
import { screenFor } from './state';
import { Store } from './store';
import { TypingNotifier } from './typing';
import type { ChatMessage, Guest } from './types';


export class Session extends Store {
  token: string;
  client: VisitorClient;
  /** Custom fields set by the site, sent once the visitor exists. */
  readonly fields = new Map<string, { value: string; overwrite: boolean }>();
  defaultAgent: { _id: string; username: string } | undefined;
  page: PageInfo | undefined;
  #registering: Promise<Guest> | null = null;
  #opening: Promise<string> | null = null;
  #sending: Promise<void> = Promise.resolve();
  readonly #typing = new TypingNotifier((typing) => {
    const rid = this.state.room?._id;
    try {
      if (rid) this.client.typing(rid, typing);
    } catch {
      // not connected yet: typing is best effort
    }
  });

  constructor() {
    super();
    const stored = saved().token;
    this.token = stored && VISITOR_TOKEN.test(stored) ? stored : newToken();
    save({ token: this.token });
    this.client = this.#newClient();
  }

  /** Loads (or reloads) the config and the visitor's chat, then shows the right screen. */
  async load(): Promise<void> {
    const token = this.token;
    let config;
    try {
      config = await fetchConfig(token);
    } catch {
      if (token === this.token) this.set({ screen: 'error' });
      return;
    }
    if (token !== this.token) return; // the site switched visitors meanwhile; that load wins
    const room = config.room && config.room.open !== false ? { _id: config.room._id } : null;
    this.set({ config, user: config.guest ?? null, room, agent: config.agent ?? null });
    if (this.state.user) {
      if (!this.#connected()) this.connect();
      void this.flushFields();
    }
    if (room) {
      save({ rid: room._id });
      toParent('active', true);
    } else if (saved().rid) {
      return this.finished(); // the chat ended while the visitor was on another page
    } else toParent('active', false);
    this.route();
  }

  /** Shows the screen the state calls for, at moments when nothing more specific is going on. */
  route(): void {
    const screen = screenFor(this.state);
    if (screen) this.set({ screen });
  }

  connect(): void {
    this.client.disconnect();
    const ready = this.client.connect();
    ready.catch(() => undefined); // a refused token shows as the 'closed' state
    this.client.channel.onState((connection) => this.set({ connection }));
    this.client.on((frame) => applyFrame(this, frame));
  }

  /** Whether the realtime channel is up or coming back (not never opened, not refused for good). */
  #connected(): boolean {
    try {
      return this.client.channel.state !== 'closed';
    } catch {
      return false;
    }
  }

  /** Replaces the visitor's token (setGuestToken, registerGuest, a new chat after clearing storage). */
  useToken(token: string): void {
    this.client.disconnect();
    this.token = token;
    save({ token, rid: undefined });
    this.client = this.#newClient();
    this.set({ user: null, room: null, agent: null, queue: null, messages: [], typing: null, connection: 'idle' });
  }

  /** Creates or updates the visitor with what the site and the form know. */
  async register(form: { name?: string; email?: string; department?: string } = {}): Promise<Guest> {
    const { guest, department, user: known } = this.state;
    // A registered visitor's update always says which department (as Rocket.Chat's widget does; "" is none).
    const visitor = { ...guest, ...(department ? { department } : known && { department: '' }), ...withoutEmpty(form) };
    const user = { ...known, ...(await this.client.register(visitor)), token: this.token } as Guest;
    const first = !known;
    this.set({ user });
    if (first) {
      this.connect();
      toParent('registered'); // after-guest-registration triggers, whatever registered the visitor
    }
    await this.flushFields();
    if (first && this.page) sendPageVisit(this.token, undefined, this.page).catch(() => undefined);
    return user;
  }

  ensureVisitor(): Promise<Guest> {
    if (this.state.user) return Promise.resolve(this.state.user);
    this.#registering ??= this.register().finally(() => (this.#registering = null));
    return this.#registering;
  }

  ensureRoom(): Promise<string> {
    if (this.state.room) return Promise.resolve(this.state.room._id);
    this.#opening ??= (async () => {
      await this.ensureVisitor();
      const { room, newRoom } = await openRoom(this.token, this.defaultAgent?._id);
      save({ rid: room._id });
      this.set({ room: { _id: room._id, status: room.status }, screen: 'chat' });
      toParent('active', true);
      if (newRoom) this.hostCallback('chat-started', { rid: room._id });
      return room._id;
    })().finally(() => (this.#opening = null));
    return this.#opening;
  }

  async flushFields(): Promise<void> {
    for (const [key, { value, overwrite }] of [...this.fields]) {
      this.fields.delete(key);
      await sendCustomField(this.token, key, value, overwrite).catch((err: Error) => console.warn(`livechat: custom field ${key}: ${err.message}`));
    }
  }

  send(text: string): void {
    const msg = text.trim();
    if (!msg) return;
    const max = this.state.config?.settings.limitTextLength;
    if (max && msg.length > max) return this.set({ problem: 'tooLong' });
    this.stopTyping();
    const local: ChatMessage = { _id: newMessageId(), msg, ts: new Date().toISOString(), u: { _id: '', username: '' }, status: 'sending' };
    this.upsert(local);
    this.set({ problem: null });
    this.#deliver(local);
  }

  retry(id: string): void {
    const message = this.state.messages.find((m) => m._id === id);
    if (!message) return;
    this.upsert({ ...message, status: 'sending' });
    this.#deliver(message);
  }

  #deliver(local: ChatMessage): void {
    this.#sending = this.#sending.then(async () => {
      try {
        const rid = await this.ensureRoom();
        const stored = await this.client.send(rid, local.msg, local._id);
        const known = this.state.messages.find((m) => m._id === local._id);
        this.upsert({ ...known, ...(stored as unknown as ChatMessage), status: undefined });
      } catch (err) {
        this.upsert({ ...local, status: 'failed' });
        if ((err as { code?: string }).code === 'no-agent-online') this.noAgent();
      }
    });
  }

  /** Adds or replaces a message by `_id`. */
  upsert(message: ChatMessage): void {
    const messages = this.state.messages.filter((m) => m._id !== message._id);
    messages.push(message);
    this.set({ messages });
  }

  /** The visitor typed in the composer. */
  typing(): void {
    if (this.state.room) this.#typing.input();
  }

  stopTyping(): void {
    this.#typing.stop();
  }

  async closeChat(): Promise<void> {
    const room = this.state.room;
    if (!room) return;
    try {
      await this.client.closeRoom(room._id);
    } catch {
      // already closed by the agent: the finished screen is right either way
    }
    this.finished();
  }

  /** The chat ended (closed by anyone, or while the visitor was away). */
  finished(): void {
    const hadRoom = this.state.room !== null || saved().rid !== undefined;
    save({ rid: undefined });
    this.stopTyping();
    this.set({ room: null, queue: null, typing: null, confirmingClose: false, problem: null, screen: 'finished' });
    if (!hadRoom) return;
    toParent('active', false);
    this.hostCallback('chat-ended');
    if (this.state.config?.settings.clearLocalStorageWhenChatEnded) this.useToken(newToken());
  }

  async newChat(): Promise<void> {
    this.set({ messages: [], agent: null, queue: null, screen: 'loading' });
    await this.load();
  }

  noAgent(): void {
    this.hostCallback('no-agent-online');
    void this.load();
  }

  async leaveMessage(form: { name: string; email: string; message: string; department?: string }): Promise<void> {
    await sendOfflineMessage({ ...withoutEmpty(form), host: location.origin } as typeof form);
    this.hostCallback('offline-form-submit', form);
    this.set({ screen: 'offline-sent' });
  }

  /** Closes the panel (the loader hides it); from now on, what arrives counts as unread. */
  minimize(): void {
    this.stopTyping();
    this.set({ open: false });
    toParent('minimizeWindow');
  }

  /** Runs the host page's `on…` callbacks for this event (through the loader, which knows them by name). */
  hostCallback(event: HostEvent, data?: unknown): void {
    toParent('callback', EVENTS[event], data);
  }

  #newClient(): VisitorClient {
    return new VisitorClient({ server: SERVER, token: this.token, socket: (url) => new WebSocket(url) as unknown as SocketLike });
  }
}
