/**
 * An agent's or manager's `/ws/agent` connection after `auth {token}` (the session token from
 * POST /api/v1/agent/login). The first frame back is `ready`: the rooms they serve (or, for managers, every open
 * room) with each room's last seq, and the queue they may take from. Those rooms are held until the client
 * resumes them; rooms that arrive later stream live. `generation` is the configuration generation in effect
 * (`config.changed` frames carry the next one).
 */
import type { Message } from '../domain/message.js';
import { roomForAgent } from '../domain/room.js';
import type { ChatServices } from '../services/api.js';
import { CLOSE } from './close-codes.js';
import type { Connection, Frame, FrameHandler } from './connection.js';
import { agentMessageFrame } from './message-frames.js';
import { REPLAY_PAGE_SIZE, RoomStream } from './room-stream.js';

/** The fan-out's index of agent sessions (the Hub). */
export interface AgentRegistry {
  addAgent(session: AgentSession): void;
  removeAgent(session: AgentSession): void;
}

/** One authenticated agent connection: its room stream, frame handler and cleanup (see VisitorSession). */
export class AgentSession extends RoomStream implements FrameHandler {
  constructor(
    readonly conn: Connection,
    readonly username: string,
    private readonly services: ChatServices,
    private readonly registry: AgentRegistry,
  ) {
    super();
  }

  protected override deliver(message: Message): void {
    this.conn.sendRaw(agentMessageFrame(message));
  }

  protected override fetchPage(rid: string, afterSeq: number, limit: number): Promise<Message[]> {
    return this.services.agents.history(this.username, { rid, afterSeq, limit });
  }

  protected override get clientOpen(): boolean {
    return this.conn.open;
  }

  protected override get pageSize(): number {
    return this.conn.replayPageSize ?? REPLAY_PAGE_SIZE;
  }

  handleFrame(frame: Frame): Promise<void> {
    return handle(this, this.services, frame);
  }

  /**
   * The socket closed: uncounts the `agentConnected` count, then removes the hub entry (a no-op when the socket
   * dropped before the session was added).
   */
  closed(): void {
    this.services.live.agentDisconnected(this.username);
    this.registry.removeAgent(this);
  }
}

/**
 * Authenticates an agent connection and adds the session to the fan-out (`registry`) in the same tick as `ready`
 * is sent, so no event can fall between the snapshot and live fan-out. Resolves undefined after closing the
 * socket when auth fails, or when the socket dropped while auth awaited.
 *
 * Invariant: every connection counted by `agentConnected` is uncounted by `agentDisconnected` exactly once, even
 * when the socket closes mid-auth (otherwise the agent never reaches zero connections and keeps their chats); the
 * hub entry is removed by the same cleanup (`session.closed`), registered when the count is taken.
 */
export async function openAgentSession(
  conn: Connection,
  token: string,
  services: ChatServices,
  registry: AgentRegistry,
): Promise<AgentSession | undefined> {
  // The auth frame may have waited its turn behind the admission check while the socket closed.
  if (!conn.open) return undefined;
  let username: string;
  try {
    username = services.agents.authenticate(token);
  } catch {
    conn.close(CLOSE.authFailed, 'invalid or expired session');
    return undefined;
  }
  const session = new AgentSession(conn, username, services, registry);
  // Counted and its undoing registered in one tick (the socket is open, so `close` cannot fire in between).
  // Coming online may hand this agent queued chats: do it before the snapshot, so `ready` includes them.
  const connected = services.live.agentConnected(username);
  conn.onClose(session);
  await connected;
  if (!conn.open) return undefined; // dropped during the drain: the cleanup above ran, or runs on `close`
  const rooms = services.agents.rooms(username);
  const queue = services.agents.queue(username);
  for (const room of [...rooms, ...queue]) session.hold(room._id, room.msgs);
  conn.onFrames(session);
  registry.addAgent(session);
  conn.send({
    type: 'ready',
    user: services.agents.me(username),
    generation: services.generation(),
    rooms: rooms.map((room) => ({ room: roomForAgent(room), lastSeq: room.msgs })),
    queue: queue.map((room) => ({ room: roomForAgent(room), lastSeq: room.msgs })),
  });
  return session;
}

async function handle(session: AgentSession, services: ChatServices, frame: Frame): Promise<void> {
  const { username, conn } = session;
  const id = typeof frame.id === 'string' ? frame.id : undefined;
  const result = (payload: object) => conn.send({ type: 'result', ...(id !== undefined && { id }), ...payload });
  const rid = frame.rid as string;
  switch (frame.type) {
    case 'status':
      return result({ user: await services.agents.setStatus(username, frame.status as 'available' | 'away') });
    case 'take':
      return result({ room: roomForAgent(await services.agents.take(username, rid)) });
    case 'send': {
      const clientMsgId = frame.clientMsgId as string;
      const message = await services.agents.send(username, { rid, msg: frame.msg as string, clientMsgId });
      return conn.send({ type: 'ack', clientMsgId, _id: message._id, seq: message.seq, rid });
    }
    case 'typing':
      return services.live.agentTyping(username, { rid, typing: frame.typing as boolean });
    case 'close':
      return result({ room: roomForAgent(await services.agents.close(username, { rid, ...(typeof frame.comment === 'string' && { comment: frame.comment }) })) });
    case 'transfer': {
      const target = {
        rid,
        ...(typeof frame.agent === 'string' && { agent: frame.agent }),
        ...(typeof frame.department === 'string' && { department: frame.department }),
        ...(typeof frame.comment === 'string' && { comment: frame.comment }),
      };
      return result({ room: roomForAgent(await services.agents.transfer(username, target)) });
    }
    case 'resume':
      return session.resume(rid, frame.afterSeq as number);
  }
}
