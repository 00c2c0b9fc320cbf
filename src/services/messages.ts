/**
 * Messages written by visitors and agents. A message is acknowledged (the promise resolves) only after its batch
 * is durable. Posting is idempotent on the client's `_id`: a retry after a lost response returns the stored
 * message instead of creating a second one, including when the retry races the first attempt.
 */
import { AppError } from '../domain/errors.js';
import type { Message, MessageUser } from '../domain/message.js';
import type { Room } from '../domain/room.js';
import { messageKey, roomMessageRange } from '../domain/ports/store.js';
import type { ChatState } from './chat-state.js';
import type { ServiceDeps } from './context.js';
import type { Dispatcher } from './dispatch.js';
import { appendMessage, type NewMessage } from './room-log.js';

export interface Author {
  user: MessageUser;
  /** Visitor messages carry the visitor's token and name, as Rocket.Chat's do. */
  visitor?: { token: string; alias?: string };
}

export class Messages {
  readonly #pending = new Map<string, Promise<Message>>();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly state: ChatState,
    private readonly dispatcher: Dispatcher,
  ) {}

  checkLength(msg: string): void {
    const max = this.deps.config().livechat.messageMaxLength;
    // The limit counts code points; a string of at most `max` UTF-16 units has at most `max` of them.
    if (msg.length > max && [...msg].length > max) {
      throw new AppError('message-length-exceeds-character-limit', `Message length exceeds the limit of ${max} characters`);
    }
  }

  /** Appends a message to the open room `rid`. `clientId` makes retries safe. */
  async post(rid: string, author: Author, msg: string, clientId?: string): Promise<Message> {
    this.checkLength(msg);
    if (clientId === undefined) return this.#append(rid, author, msg);
    const inFlight = this.#pending.get(clientId);
    if (inFlight) return this.#sameAuthor(await inFlight, rid, author);
    const attempt = this.#postOnce(rid, author, msg, clientId);
    this.#pending.set(clientId, attempt);
    try {
      return await attempt;
    } finally {
      this.#pending.delete(clientId);
    }
  }

  async find(id: string): Promise<Message | undefined> {
    return this.#existing(id);
  }

  /** Messages of a room in seq order after `afterSeq`, at most `limit`. */
  async after(rid: string, afterSeq = 0, limit = 1000): Promise<Message[]> {
    const range = { ...roomMessageRange(rid), gt: messageKey(rid, afterSeq), limit };
    const out: Message[] = [];
    for await (const [, message] of this.deps.store.range<Message>('messages', range)) out.push(message);
    return out;
  }

  /** Visible messages, newest first, `ts` within [ls, end). */
  async history(rid: string, options: { limit: number; ls?: string; end?: string }): Promise<Message[]> {
    const out: Message[] = [];
    for await (const [, message] of this.deps.store.range<Message>('messages', { ...roomMessageRange(rid), reverse: true })) {
      if (options.end !== undefined && message.ts >= options.end) continue;
      if (options.ls !== undefined && message.ts < options.ls) break;
      if (message._hidden) continue;
      out.push(message);
      if (out.length >= options.limit) break;
    }
    return out;
  }

  async edit(room: Room, message: Message, msg: string, editor: MessageUser): Promise<Message> {
    this.checkLength(msg);
    const now = this.deps.now().toISOString();
    const edited: Message = { ...message, msg, editedAt: now, editedBy: { _id: editor._id, username: editor.username }, _updatedAt: now };
    const key = messageKey(message.rid, message.seq);
    await this.dispatcher.apply([], [{ type: 'put', collection: 'messages', key, value: edited }], [{ type: 'message.updated', room, message: edited }]);
    return edited;
  }

  async remove(room: Room, message: Message): Promise<void> {
    const key = messageKey(message.rid, message.seq);
    // The room is written too: its stored `msgs` may lag behind the messages (room-log.ts), and once the last
    // message is gone only the room remembers that its seq was used.
    const current = this.state.get(room._id) ?? room;
    await this.dispatcher.apply(
      [],
      [
        { type: 'del', collection: 'messages', key },
        { type: 'del', collection: 'messageIds', key: message._id },
        { type: 'put', collection: 'rooms', key: current._id, value: current },
      ],
      [{ type: 'message.deleted', room, messageId: message._id }],
    );
  }

  async #append(rid: string, author: Author, msg: string, clientId?: string): Promise<Message> {
    // Read the room only now, after any await above: it is the latest version.
    const room = this.state.get(rid);
    if (!room) throw new AppError('room-closed', 'Room closed');
    // Built field by field, not with conditional spreads: this runs for every message (see appendMessage).
    const input: NewMessage = { msg, u: author.user };
    if (clientId !== undefined) input._id = clientId;
    if (author.visitor) {
      input.token = author.visitor.token;
      if (author.visitor.alias !== undefined) input.alias = author.visitor.alias;
    }
    const appended = appendMessage(this.deps, this.state, room, input, { waitingResponse: author.visitor !== undefined });
    await this.dispatcher.apply([{ before: room, after: appended.room }], appended.ops, [{ type: 'message.created', room: appended.room, message: appended.message }]);
    return appended.message;
  }

  async #postOnce(rid: string, author: Author, msg: string, clientId: string): Promise<Message> {
    const found = await this.#existing(clientId);
    return found ? this.#sameAuthor(found, rid, author) : this.#append(rid, author, msg, clientId);
  }

  async #existing(id: string): Promise<Message | undefined> {
    // Almost every id a post asks about is new, and the filter says so from memory.
    if (!this.state.messageIds.mightContain(id)) return undefined;
    // Most ids that get here are new too (a false "maybe", or the filter still loading): `has` hears "no" without
    // the point read of an absent key that makes LevelDB compact (store/level/existence-checks.ts).
    if (!(await this.deps.store.has('messageIds', id))) return undefined;
    const key = await this.deps.store.get<string>('messageIds', id);
    return key === undefined ? undefined : this.deps.store.get<Message>('messages', key);
  }

  /** A client id reused by someone else, or for another room, must not reveal or alias that message. */
  #sameAuthor(message: Message, rid: string, author: Author): Message {
    if (message.rid !== rid || message.u._id !== author.user._id) throw new AppError('invalid-message', 'Message id already in use');
    return message;
  }
}
