/**
 * Visitors: registration (an upsert by token), lookup, status, removal of everything a visitor left.
 *
 * Unlike Rocket.Chat we never hand an existing visitor's token to a request that merely knows their e-mail or
 * phone number: that would let anyone who knows an address take over that visitor's conversations.
 */
import { AppError } from '../domain/errors.js';
import type { Room } from '../domain/room.js';
import { roomMessageRange, type BatchOp } from '../domain/ports/store.js';
import type { Visitor, VisitorStatus } from '../domain/visitor.js';
import type { ChatState } from './chat-state.js';
import { commit, type ServiceDeps } from './context.js';
import type { Counters } from './counters.js';
import { applyCustomFields, type CustomFieldInput } from './custom-field-rules.js';
import { resolveDepartment } from './departments.js';
import { KeyedLock } from './keyed-lock.js';

export interface RegisterInput {
  token: string;
  name?: string;
  email?: string;
  department?: string;
  phone?: string;
  customFields?: CustomFieldInput[];
  /** Request facts recorded on first registration (webhook `visitor.ip/os/browser`). */
  ip?: string;
  userAgent?: string;
  host?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export class Visitors {
  /** Serialises every read-modify-write of one visitor record. */
  readonly lock = new KeyedLock();

  constructor(
    private readonly deps: ServiceDeps,
    private readonly state: ChatState,
    private readonly counters: Counters,
  ) {}

  async find(token: string): Promise<Visitor | undefined> {
    return this.deps.store.get<Visitor>('visitors', token);
  }

  /** The visitor holding `token`, or the `invalid-token` error every visitor endpoint answers with. */
  async require(token: string): Promise<Visitor> {
    const visitor = await this.find(token);
    if (!visitor) throw new AppError('invalid-token', '');
    return visitor;
  }

  register(input: RegisterInput): Promise<Visitor> {
    return this.lock.run(input.token, async () => {
      const config = this.deps.config();
      const existing = await this.find(input.token);
      const now = this.deps.now().toISOString();
      const ops: BatchOp[] = [];
      let visitor: Visitor;
      if (existing) {
        visitor = { ...existing, _updatedAt: now };
      } else {
        const guest = this.counters.next('guest');
        ops.push(guest.op);
        visitor = {
          _id: this.deps.newId(),
          username: `guest-${guest.value}`,
          token: input.token,
          livechatData: {},
          status: 'online',
          ts: now,
          _updatedAt: now,
          ...(input.ip !== undefined && { ip: input.ip }),
          ...(input.userAgent !== undefined && { userAgent: input.userAgent }),
          ...(input.host !== undefined && { host: input.host }),
        };
        ops.push({ type: 'put', collection: 'visitorIds', key: visitor._id, value: input.token });
      }
      if (input.name !== undefined) visitor.name = input.name;
      if (input.email !== undefined) visitor.visitorEmails = [{ address: normaliseEmail(input.email) }];
      if (input.phone !== undefined) visitor.phone = [{ phoneNumber: input.phone }];
      if (input.department !== undefined) {
        const department = resolveDepartment(config, input.department);
        if (!department) throw new AppError('error-invalid-department', 'The provided department is invalid');
        visitor.department = department.id;
      }
      if (input.customFields) visitor = applyCustomFields(config, visitor, input.customFields, 'registration').visitor;
      ops.push({ type: 'put', collection: 'visitors', key: visitor.token, value: visitor });
      const room = this.#renameOpenRoom(visitor, now);
      if (room) ops.push({ type: 'put', collection: 'rooms', key: room.next._id, value: room.next });
      try {
        await commit(this.deps, ops, [
          { type: 'visitor.updated', visitor },
          ...(room ? [{ type: 'room.updated' as const, room: room.next }] : []),
        ]);
      } catch (err) {
        room?.undo();
        throw err;
      }
      return visitor;
    });
  }

  setStatus(token: string, status: VisitorStatus): Promise<Visitor> {
    return this.lock.run(token, async () => {
      const visitor = { ...(await this.require(token)), status, _updatedAt: this.deps.now().toISOString() };
      const ops: BatchOp[] = [{ type: 'put', collection: 'visitors', key: token, value: visitor }];
      const open = this.state.ofToken(token);
      let room: Room | undefined;
      if (open) {
        room = { ...open, v: { ...open.v, status } };
        this.state.set(room);
        ops.push({ type: 'put', collection: 'rooms', key: room._id, value: room });
      }
      await commit(this.deps, ops, [
        { type: 'visitor.updated', visitor },
        ...(room ? [{ type: 'room.updated' as const, room }] : []),
      ]);
      return visitor;
    });
  }

  /** Removes the visitor with their closed rooms, messages and page history. Refused while a room is open. */
  remove(token: string): Promise<Visitor> {
    return this.lock.run(token, async () => {
      const visitor = await this.require(token);
      if (this.state.ofToken(token)) {
        throw new AppError('visitor-has-open-rooms', 'Cannot remove visitors with opened rooms');
      }
      const ops: BatchOp[] = [
        { type: 'del', collection: 'visitors', key: token },
        { type: 'del', collection: 'visitorIds', key: visitor._id },
      ];
      const prefix = { gte: `${visitor._id}!`, lt: `${visitor._id}"` };
      for await (const [key] of this.deps.store.range('visitorRooms', prefix)) {
        const rid = key.slice(visitor._id.length + 1);
        ops.push({ type: 'del', collection: 'visitorRooms', key }, { type: 'del', collection: 'rooms', key: rid });
        for await (const [messageKey, message] of this.deps.store.range<{ _id: string }>('messages', roomMessageRange(rid))) {
          ops.push({ type: 'del', collection: 'messages', key: messageKey });
          ops.push({ type: 'del', collection: 'messageIds', key: message._id });
        }
      }
      const pages = { gte: `${token}!`, lt: `${token}"` };
      for await (const [key] of this.deps.store.range('pages', pages)) ops.push({ type: 'del', collection: 'pages', key });
      await commit(this.deps, ops, [{ type: 'visitor.removed', visitorId: visitor._id, token }]);
      return visitor;
    });
  }

  /** An open room shows the visitor's current name; keep it in step with registration updates. */
  #renameOpenRoom(visitor: Visitor, now: string): { next: Room; undo: () => void } | undefined {
    const open = this.state.ofToken(visitor.token);
    if (!open) return undefined;
    const fname = visitor.name ?? visitor.username;
    if (open.fname === fname && open.v.name === visitor.name) return undefined;
    const next: Room = { ...open, fname, v: { ...open.v, ...(visitor.name !== undefined && { name: visitor.name }) }, _updatedAt: now };
    const previous = this.state.set(next);
    return { next, undo: () => this.state.restore(next, previous) };
  }
}

function normaliseEmail(email: string): string {
  const address = email.trim().toLowerCase();
  if (!EMAIL.test(address)) throw new AppError('error-invalid-email-address', 'Invalid email address');
  return address;
}
