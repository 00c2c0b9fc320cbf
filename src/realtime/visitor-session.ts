/**
 * A visitor's `/ws/visitor` connection after `auth {token}`: the room's messages (with seq), agent typing,
 * agent changes, queue position and close, plus `send`, `typing` and `resume` from the visitor.
 */
import type { Message } from '../domain/message.js';
import type { ChatServices } from '../services/api.js';
import { CLOSE } from './close-codes.js';
import type { Connection, Frame, FrameHandler } from './connection.js';
import { visitorMessageFrame } from './message-frames.js';
import { REPLAY_PAGE_SIZE, RoomStream } from './room-stream.js';

/** The fan-out's index of visitor sessions (the Hub). */
export interface VisitorRegistry {
  addVisitor(session: VisitorSession): void;
  removeVisitor(session: VisitorSession): void;
}

/**
 * One authenticated visitor connection. The session is the connection's room stream, its frame handler and its
 * cleanup at once, so an idle visitor costs this object and its Connection (see Connection, RoomStream).
 */
export class VisitorSession extends RoomStream implements FrameHandler {
  /** The last queue position sent (a visitor has one open room), so an unchanged position is not re-sent. */
  lastSpot: { rid: string; spot: number } | undefined;

  constructor(
    readonly conn: Connection,
    readonly token: string,
    private readonly services: ChatServices,
    private readonly registry: VisitorRegistry,
  ) {
    super();
  }

  protected override deliver(message: Message): void {
    // Hidden messages (navigation history) are read with their page, so paging sees full pages, but never sent.
    if (!message._hidden) this.conn.sendRaw(visitorMessageFrame(message));
  }

  protected override fetchPage(rid: string, afterSeq: number, limit: number): Promise<Message[]> {
    return this.services.live.messagesAfter({ token: this.token, rid, afterSeq, limit });
  }

  protected override get clientOpen(): boolean {
    return this.conn.open;
  }

  protected override get pageSize(): number {
    return this.conn.replayPageSize ?? REPLAY_PAGE_SIZE;
  }

  async handleFrame(frame: Frame): Promise<void> {
    const { conn, token, services } = this;
    const rid = frame.rid as string;
    if (frame.type === 'send') {
      // The same service call as POST /api/v1/livechat/message, so the same checks, limits and idempotency.
      const clientMsgId = frame.clientMsgId as string;
      const message = await services.messages.post({ token, rid, msg: frame.msg as string, _id: clientMsgId });
      return conn.send({ type: 'ack', clientMsgId, _id: message._id, seq: message.seq, rid });
    }
    if (frame.type === 'typing') return services.live.visitorTyping({ token, rid, typing: frame.typing as boolean });
    if (frame.type === 'resume') return this.resume(rid, frame.afterSeq as number);
  }

  /** The socket closed: undoes the hub entry, then the `visitorConnected` count. */
  closed(): void {
    this.registry.removeVisitor(this);
    void this.services.live.visitorDisconnected(this.token).catch((err: unknown) => this.conn.logger.warn({ err }, 'visitor status update failed'));
  }
}

/**
 * Authenticates a visitor connection and adds the session to the fan-out (`registry`) in the same tick as `ready`
 * is sent, so nothing falls between the snapshot and live fan-out. Resolves undefined after closing the socket
 * when the token is unknown, or when the socket dropped while the room was read.
 *
 * Invariant: the hub entry and the `visitorConnected` count are each undone exactly once when the socket closes,
 * whenever that happens, so the visitor's status follows their sockets. Both are taken, and their undoing
 * (`session.closed`) registered, in one tick with nothing in between that can throw.
 */
export async function openVisitorSession(
  conn: Connection,
  token: string,
  services: ChatServices,
  registry: VisitorRegistry,
): Promise<VisitorSession | undefined> {
  const room = await services.live.currentRoom(token).catch(() => null);
  if (room === null) {
    conn.close(CLOSE.authFailed, 'unknown visitor token');
    return undefined;
  }
  if (!conn.open) return undefined; // dropped while the room was read: nothing was registered or counted yet
  const session = new VisitorSession(conn, token, services, registry);
  if (room) session.hold(room._id, room.msgs);
  const position = room && services.live.queuePosition(room._id);
  if (room && position !== undefined) session.lastSpot = { rid: room._id, spot: position };
  const ready = {
    type: 'ready',
    room: room ? { _id: room._id, status: room.status, lastSeq: room.msgs, departmentId: room.departmentId } : null,
    agent: (room && services.live.agentOf(room)) ?? null,
    ...(position !== undefined && { queue: { spot: position } }),
  };
  registry.addVisitor(session);
  conn.onFrames(session);
  conn.send(ready);
  // Status writes of one token run in call order (keyed lock).
  const connected = services.live.visitorConnected(token);
  conn.onClose(session);
  await connected;
  return session;
}
