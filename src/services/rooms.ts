/**
 * Room life cycle: open (and route), close, transfer — shared by the visitor API and the agent API.
 */
import { AppError } from '../domain/errors.js';
import type { DomainEvent, SessionRecord } from '../domain/events.js';
import type { Message, MessageUser, TransferData } from '../domain/message.js';
import type { Closer, Room } from '../domain/room.js';
import { messageKey, type BatchOp } from '../domain/ports/store.js';
import type { Visitor } from '../domain/visitor.js';
import { chooseDepartment } from '../routing/department.js';
import { isOpenNow } from './business-hours.js';
import type { ChatState } from './chat-state.js';
import type { ServiceDeps } from './context.js';
import type { Counters } from './counters.js';
import { resolveDepartment } from './departments.js';
import type { Dispatcher } from './dispatch.js';
import { sameSecret } from './ids.js';
import type { KeyedLock } from './keyed-lock.js';
import { appendMessage } from './room-log.js';
import type { Router } from './router.js';

/** What `#record` read for a close: the visitor and the room's messages 1..upTo. */
interface SessionRead {
  visitor: Visitor | undefined;
  messages: Message[];
  upTo: number;
}

/** Rounds of reading a closing room's new messages before giving up on a complete record (see `#record`). */
const RECORD_ROUNDS = 5;
/** Deletes a key that never exists: changes nothing, resolves once every batch issued before it is durable. */
const WRITE_BARRIER: BatchOp = { type: 'del', collection: 'meta', key: 'write-barrier' };

export class Rooms {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly state: ChatState,
    private readonly router: Router,
    private readonly counters: Counters,
    private readonly dispatcher: Dispatcher,
    /** The visitors' lock (Visitors.lock): opening a room holds it, and so does closing one. */
    private readonly visitorLock: KeyedLock,
  ) {}

  /** Whether a visitor may start a chat now: enabled, within business hours, and someone to talk to. */
  isOnline(): boolean {
    const { livechat } = this.deps.config();
    if (!livechat.enabled || !isOpenNow(livechat.businessHours, this.deps.now())) return false;
    return livechat.acceptWithoutAgents || this.router.anyAgentOnline();
  }

  /** The visitor's room `rid`, open or closed; the same error whether it does not exist or is someone else's. */
  async ownedBy(token: string, rid: string): Promise<Room> {
    const room = this.state.get(rid) ?? (await this.deps.store.get<Room>('rooms', rid));
    if (!room || !sameSecret(room.v.token, token)) throw new AppError('invalid-room', '');
    return room;
  }

  /** The visitor's open room `rid` as it is after the read (a room whose close is being written is closed). */
  async openOwnedBy(token: string, rid: string): Promise<Room> {
    const room = await this.ownedBy(token, rid);
    const current = room.open ? this.state.get(rid) : undefined;
    if (!current) throw new AppError('room-closed', 'Room closed');
    return current;
  }

  /**
   * Changes fields of the visitor's room `rid` that no message follows from (a survey, a transcript request): an
   * open room in the state and the store, a closed one in the store only. `change` gets the version current after
   * the read: one read before it would roll back a message appended meanwhile (its seq handed out again).
   */
  async update(token: string, rid: string, change: (room: Room) => Room, events: (next: Room) => DomainEvent[] = () => []): Promise<Room> {
    const found = await this.ownedBy(token, rid);
    const current = this.state.get(rid);
    // Open in the store but gone from the state: its close is being written, and this write could land after it.
    if (!current && found.open) throw new AppError('room-closed', 'Room closed');
    const next = change(current ?? found);
    if (current) this.state.set(next);
    await this.dispatcher.apply(current ? [{ before: current, after: next }] : [], [{ type: 'put', collection: 'rooms', key: rid, value: next }], events(next));
    return next;
  }

  /** Opens a room for the visitor and routes it. Callers hold the visitor's lock. */
  async open(visitor: Visitor, options: { agentId?: string; source: 'widget' | 'api' }): Promise<Room> {
    const config = this.deps.config();
    if (!config.livechat.enabled) throw new AppError('error-omnichannel-is-disabled', 'Livechat is disabled');
    if (!this.isOnline()) throw new AppError('no-agent-online', 'Sorry, no online agents');
    const now = this.deps.now().toISOString();
    const code = this.counters.next('roomCode');
    const departmentId = chooseDepartment(this.router.departments(), visitor.department, (u) => this.router.isAgentOnline(u));
    const room: Room = {
      _id: this.deps.newId(),
      t: 'l',
      fname: visitor.name ?? visitor.username,
      status: 'queued',
      open: true,
      msgs: 0,
      ts: now,
      _updatedAt: now,
      code: code.value,
      ...(departmentId !== undefined && { departmentId }),
      v: { _id: visitor._id, username: visitor.username, token: visitor.token, status: visitor.status, ...(visitor.name !== undefined && { name: visitor.name }) },
      livechatData: { ...visitor.roomFields },
      source: { type: options.source },
      tags: [],
    };
    const routed = this.router.assign(room, this.router.pick(room, options.agentId), [{ type: 'room.opened', room }]);
    const ops: BatchOp[] = [
      code.op,
      ...routed.ops,
      { type: 'put', collection: 'openRooms', key: room._id, value: true },
      { type: 'put', collection: 'visitorRooms', key: `${visitor._id}!${room._id}`, value: true },
    ];
    let stored = visitor;
    if (visitor.roomFields) {
      const { roomFields: _moved, ...rest } = visitor;
      stored = rest;
      ops.push({ type: 'put', collection: 'visitors', key: visitor.token, value: rest });
    }
    // The opening's events carry their record for free: the visitor is at hand and there are no messages yet.
    const record: SessionRecord = { visitor: stored, messages: [] };
    const events = routed.events.map((event) => (event.type === 'room.opened' || event.type === 'room.queued' || event.type === 'room.assigned' ? { ...event, record } : event));
    await this.dispatcher.apply([{ absent: room._id }], ops, events);
    return routed.room;
  }

  /**
   * Closes an open room with a `livechat-close` message; the agent's slot goes to the next queued room. `still`
   * is checked on the latest version of the room right before the close is decided. When a webhook wants
   * `LivechatSession`, the conversation is read first and travels on the event, so the delivery written in the
   * close's batch is complete (see `#record`).
   *
   * The close is decided and written under the visitor's lock, which opening a room takes too: a chat the visitor
   * asks for while the close is being written waits for it, and finds the old room open again if the write failed,
   * or none — never two open rooms for one visitor; removing the visitor waits likewise. The reading before and the
   * routing after run outside it. Callers must not hold that lock.
   */
  async close(room: Room, closer: { by: Closer; user: MessageUser; comment: string }, still?: (current: Room) => boolean): Promise<Room> {
    const read = this.#sessionWanted() ? await this.#record(room) : undefined;
    const closed = await this.visitorLock.run(room.v.token, () => this.#decide(room, closer, still, read));
    await this.dispatcher.drain();
    return closed;
  }

  async #decide(room: Room, closer: { by: Closer; user: MessageUser; comment: string }, still: ((current: Room) => boolean) | undefined, read: SessionRead | undefined): Promise<Room> {
    // The reads above and the wait for the lock awaited: act on the room as it is now, only if it is still open
    // and still what the caller decided on (an agent may have taken the room meanwhile).
    const current = this.state.get(room._id);
    if (!current) throw new AppError('room-closed', 'Room closed');
    if (still && !still(current)) throw new AppError('forbidden', 'The chat changed before it could be closed');
    const now = this.deps.now().toISOString();
    const appended = appendMessage(this.deps, this.state, current, { msg: closer.comment, u: closer.user, t: 'livechat-close' }, {
      status: 'closed',
      open: false,
      closedAt: now,
      closer: closer.by,
      closedBy: { _id: closer.user._id, username: closer.user.username },
      closeComment: closer.comment,
      waitingResponse: false,
    });
    // A message appended after the last read (between its check and this line) makes the record incomplete:
    // then the webhook job carries the room instead and the worker reads the messages, as for the opt-in events.
    const record: SessionRecord | undefined =
      read && read.upTo === current.msgs ? { visitor: read.visitor, messages: [...read.messages, appended.message] } : undefined;
    const ops: BatchOp[] = [...appended.ops, { type: 'del', collection: 'openRooms', key: room._id }];
    const events: DomainEvent[] = [
      { type: 'message.created', room: appended.room, message: appended.message },
      { type: 'room.closed', room: appended.room, message: appended.message, ...(record && { record }) },
    ];
    await this.dispatcher.apply([{ before: current, after: appended.room }], ops, events);
    return appended.room;
  }

  #sessionWanted(): boolean {
    return this.deps.outbox !== undefined && this.deps.config().webhooks.some((hook) => hook.events.includes('LivechatSession'));
  }

  /**
   * The visitor record and the room's messages 1..msgs, for a close about to be decided. Messages decided before
   * now may still be in flight (issued, not yet durable): a no-op write is ordered after every batch issued
   * before it, so once it resolves they can be read. Messages keep arriving until the close is decided, so the
   * read repeats for the new ones, a bounded number of rounds; `upTo` is the last seq covered. Undefined when the
   * room closed meanwhile or kept growing (the close then goes ahead without a record).
   */
  async #record(room: Room): Promise<SessionRead | undefined> {
    const messages: Message[] = [];
    let upTo = 0;
    for (let round = 0; round < RECORD_ROUNDS; round++) {
      const target = this.state.get(room._id)?.msgs;
      if (target === undefined) return undefined;
      if (target > upTo) {
        await this.deps.store.batch([WRITE_BARRIER]);
        const range = { gte: messageKey(room._id, upTo + 1), lte: messageKey(room._id, target) };
        for await (const [, message] of this.deps.store.range<Message>('messages', range)) messages.push(message);
        upTo = target;
      }
      const visitor = await this.deps.store.get<Visitor>('visitors', room.v.token);
      if (this.state.get(room._id)?.msgs === upTo) return { visitor, messages, upTo };
    }
    return undefined;
  }

  /**
   * Moves an open room to another agent or department, recording a `livechat_transfer_history` message. To a
   * department: the next eligible agent there serves it, or it waits in that department's queue.
   */
  async transfer(seen: Room, by: TransferData['transferredBy'], target: { agent?: string; department?: string; comment?: string }): Promise<Room> {
    // The caller read the room before an await: act on the version current now (room-log.ts, seqs).
    const room = this.state.get(seen._id);
    if (!room) throw new AppError('room-closed', 'Room closed');
    const config = this.deps.config();
    const now = this.deps.now().toISOString();
    let departmentId = room.departmentId;
    let agent: string | undefined;
    const data: TransferData = { transferredBy: by, ts: now, scope: 'agent', ...(target.comment !== undefined && { comment: target.comment }) };
    if (target.department !== undefined) {
      const department = resolveDepartment(config, target.department);
      if (!department) throw new AppError('error-invalid-department', 'The provided department is invalid');
      departmentId = department.id;
      Object.assign(data, { scope: 'department', nextDepartment: { _id: department.id, name: department.name } });
      if (room.departmentId !== undefined) data.previousDepartment = room.departmentId;
      agent = this.router.pick({ ...room, departmentId });
      const waitable = config.livechat.routing === 'manual' || config.livechat.acceptWithoutAgents || this.router.anyAgentOnline(departmentId);
      if (agent === undefined && !waitable) throw new AppError('no-agent-online', 'Sorry, no online agents');
    } else {
      const user = target.agent === undefined ? undefined : config.users[target.agent];
      if (!user || !this.router.isEligible(user.username)) throw new AppError('invalid-agent', 'The agent is not available');
      agent = user.username;
      data.transferredTo = { _id: user.username, username: user.username, name: user.name };
    }
    const appended = appendMessage(this.deps, this.state, room, { msg: '', u: { _id: by._id, username: by.username, ...(by.name !== undefined && { name: by.name }) }, t: 'livechat_transfer_history', transferData: data }, departmentId === undefined ? {} : { departmentId });
    const routed = this.router.assign(appended.room, agent);
    const ops = [...appended.ops, ...routed.ops]; // the routed room's put comes last and wins
    const events: DomainEvent[] = [
      { type: 'message.created', room: routed.room, message: appended.message },
      { type: 'room.transferred', room: routed.room, message: appended.message, ...(room.servedBy && { previousAgent: room.servedBy.username }), ...(room.departmentId !== undefined && { previousDepartment: room.departmentId }) },
      ...routed.events,
    ];
    await this.dispatcher.apply([{ before: room, after: routed.room }], ops, events);
    await this.dispatcher.drain();
    return routed.room;
  }
}
