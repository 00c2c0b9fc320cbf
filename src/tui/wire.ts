/**
 * The shapes the console reads from /ws/agent frames (see src/realtime/agent-session.ts and hub.ts). Only the fields
 * it uses are typed; everything visitor-supplied is untrusted text and goes through sanitize.ts before drawing.
 */
export interface RoomView {
  _id: string;
  fname: string;
  status: 'queued' | 'served' | 'closed';
  msgs: number;
  ts: string;
  code?: number;
  departmentId?: string;
  queuedAt?: string;
  closedAt?: string;
  closer?: 'visitor' | 'user' | 'system';
  closedBy?: { _id: string; username: string };
  v: { _id: string; username: string; status?: string; name?: string };
  servedBy?: { _id: string; username: string; ts?: string };
  livechatData?: Record<string, string>;
  source?: { type: string };
  tags?: string[];
}

export interface TransferData {
  transferredBy?: { username: string; name?: string };
  scope?: 'agent' | 'department' | 'queue';
  comment?: string;
  nextDepartment?: { _id: string; name: string };
  transferredTo?: { username: string; name?: string };
}

export interface ChatMessage {
  _id: string;
  rid: string;
  seq: number;
  msg: string;
  ts: string;
  u: { _id: string; username: string; name?: string };
  /** System messages: `livechat-close`, `livechat_transfer_history`, `livechat-started`, … */
  t?: string;
  _hidden?: boolean;
  transferData?: TransferData;
  /** On `livechat_navigation_history` messages: a page the visitor opened. */
  navigation?: { page?: { title?: string; location?: { href?: string } } };
  editedAt?: string;
}

export interface Profile {
  username: string;
  name: string;
  role: 'agent' | 'manager';
  /** 'available' | 'away' | 'offline' */
  status: string;
  departments: string[];
}

export interface ReadyFrame {
  type: 'ready';
  user: Profile;
  /** The daemon's configuration generation (absent from older daemons). */
  generation?: number;
  rooms: { room: RoomView; lastSeq: number }[];
  queue: { room: RoomView; lastSeq: number }[];
}

export type ServerFrame =
  | ReadyFrame
  | { type: 'room.queued'; room: RoomView }
  | { type: 'room.assigned'; room: RoomView; previousAgent?: string }
  | { type: 'room.updated'; room: RoomView }
  | { type: 'room.closed'; rid: string; room: RoomView }
  | { type: 'message'; rid: string; message: ChatMessage }
  | { type: 'message.updated'; rid: string; message: ChatMessage }
  | { type: 'message.deleted'; rid: string; _id: string }
  | { type: 'typing'; rid: string; username: string; name?: string; typing: boolean }
  | { type: 'config.changed'; hash: string; generation?: number }
  | { type: 'error'; code: string; message: string; id?: string };
