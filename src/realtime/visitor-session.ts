/**
 * A visitor's `/ws/visitor` connection after `auth {token}`: the room's messages (with seq), agent typing,
 * agent changes, queue position and close, plus `send`, `typing` and `resume` from the visitor.
 */
import type { ChatServices } from '../services/api.js';
import { CLOSE } from './close-codes.js';
import type { Connection } from './connection.js';
import { RoomStream } from './room-stream.js';

export class VisitorSession {
  readonly stream: RoomStream;
  /** The last queue position sent (a visitor has one open room), so an unchanged position is not re-sent. */
  lastSpot: { rid: string; spot: number } | undefined;

  constructor(
    readonly conn: Connection,
    readonly token: string,
    services: ChatServices,
    pageSize?: number,
  ) {
    this.stream = new RoomStream(
      // Hidden messages (navigation history) are read with their page, so paging sees full pages, but never sent.
      (message) => {
        if (!message._hidden) conn.send({ type: 'message', rid: message.rid, message });
      },
      (rid, afterSeq, limit) => services.live.messagesAfter({ token, rid, afterSeq, limit }),
      { ...(pageSize !== undefined && { pageSize }), open: () => conn.open },
    );
  }
}

/**
 * Authenticates a visitor connection. `register` adds the session to the fan-out and returns its removal; it runs
 * in the same tick as `ready` is sent, so nothing falls between the snapshot and live fan-out. Resolves undefined
 * after closing the socket when the token is unknown, or when the socket dropped while the room was read.
 *
 * Invariant: the hub entry and the `visitorConnected` count are each undone exactly once when the socket closes,
 * whenever that happens, so the visitor's status follows their sockets.
 */
export async function openVisitorSession(
  conn: Connection,
  token: string,
  services: ChatServices,
  register: (session: VisitorSession) => () => void,
): Promise<VisitorSession | undefined> {
  const room = await services.live.currentRoom(token).catch(() => null);
  if (room === null) {
    conn.close(CLOSE.authFailed, 'unknown visitor token');
    return undefined;
  }
  if (!conn.open) return undefined; // dropped while the room was read: nothing was registered or counted yet
  const session = new VisitorSession(conn, token, services, conn.replayPageSize);
  if (room) session.stream.hold(room._id, room.msgs);
  const position = room && services.live.queuePosition(room._id);
  if (room && position !== undefined) session.lastSpot = { rid: room._id, spot: position };
  conn.onClose(register(session));
  conn.onFrames(async (frame) => {
    const rid = frame.rid as string;
    if (frame.type === 'send') {
      // The same service call as POST /api/v1/livechat/message, so the same checks, limits and idempotency.
      const clientMsgId = frame.clientMsgId as string;
      const message = await services.messages.post({ token, rid, msg: frame.msg as string, _id: clientMsgId });
      return conn.send({ type: 'ack', clientMsgId, _id: message._id, seq: message.seq, rid });
    }
    if (frame.type === 'typing') return services.live.visitorTyping({ token, rid, typing: frame.typing as boolean });
    if (frame.type === 'resume') return session.stream.resume(rid, frame.afterSeq as number);
  });
  conn.send({
    type: 'ready',
    room: room ? { _id: room._id, status: room.status, lastSeq: room.msgs, departmentId: room.departmentId } : null,
    agent: (room && services.live.agentOf(room)) ?? null,
    ...(position !== undefined && { queue: { spot: position } }),
  });
  // Counted and its undoing registered in one tick; status writes of one token run in call order (keyed lock).
  const connected = services.live.visitorConnected(token);
  conn.onClose(() => void services.live.visitorDisconnected(token).catch((err: unknown) => conn.logger.warn({ err }, 'visitor status update failed')));
  await connected;
  return session;
}
