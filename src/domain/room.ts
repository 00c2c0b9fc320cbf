/**
 * A livechat room (Rocket.Chat IOmnichannelRoom, `t:'l'`). Its life: queued → served → closed, or straight from
 * creation to served when routing finds an agent. `open` mirrors `status !== 'closed'` because clients read it.
 * `msgs` is the seq of the room's last message: seqs are per room, start at 1 and only grow.
 */
export type RoomStatus = 'queued' | 'served' | 'closed';
export type Closer = 'visitor' | 'user' | 'system';

export interface ServedBy {
  _id: string;
  username: string;
  ts: string;
}

export interface Room {
  _id: string;
  t: 'l';
  /** Display name: the visitor's name, else their username. */
  fname: string;
  status: RoomStatus;
  open: boolean;
  msgs: number;
  ts: string;
  lm?: string;
  _updatedAt: string;
  /** Per-daemon incrementing chat number (webhook `code`). */
  code: number;
  departmentId?: string;
  v: { _id: string; username: string; token: string; status: string; name?: string };
  servedBy?: ServedBy;
  queuedAt?: string;
  livechatData: Record<string, string>;
  source: { type: 'widget' | 'api' };
  tags: string[];
  waitingResponse?: boolean;
  closedAt?: string;
  closer?: Closer;
  closedBy?: { _id: string; username: string };
  closeComment?: string;
  transcriptRequest?: { requestedAt: string; email: string; subject: string };
  surveyFeedback?: { name: string; value: string }[];
}

/** Rooms may move only along these edges; anything else is a bug or a race the caller must reject. */
const NEXT: Record<RoomStatus, readonly RoomStatus[]> = {
  queued: ['served', 'closed'],
  served: ['served', 'queued', 'closed'], // served → served is a transfer; → queued when the agent is gone
  closed: [],
};

export function canMove(from: RoomStatus, to: RoomStatus): boolean {
  return NEXT[from].includes(to);
}

/** A room as agents see it: the visitor's token is the visitor's credential and never leaves for an agent. */
export function roomForAgent(room: Room): Omit<Room, 'v'> & { v: Omit<Room['v'], 'token'> } {
  const { token: _token, ...v } = room.v;
  return { ...room, v };
}
