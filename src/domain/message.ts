/**
 * A chat message (Rocket.Chat IMessage). `seq` is ours: assigned by the server, per room, monotonic, the order
 * every client sees and the cursor a reconnecting client resumes from.
 */
export type SystemMessageType =
  | 'livechat-close'
  | 'livechat-started'
  | 'livechat_transfer_history'
  | 'livechat_navigation_history'
  | 'uj'
  | 'command';

export interface MessageUser {
  _id: string;
  username: string;
  name?: string;
}

export interface TransferData {
  transferredBy: { _id: string; username: string; name?: string; type: 'user' | 'visitor' };
  ts: string;
  scope: 'agent' | 'department' | 'queue';
  comment?: string;
  previousDepartment?: string;
  nextDepartment?: { _id: string; name: string };
  transferredTo?: { _id: string; username: string; name?: string };
}

export interface Message {
  _id: string;
  rid: string;
  seq: number;
  msg: string;
  ts: string;
  u: MessageUser;
  _updatedAt: string;
  t?: SystemMessageType;
  /** Set on visitor messages (Rocket.Chat's marker of who wrote it). */
  token?: string;
  alias?: string;
  editedAt?: string;
  editedBy?: { _id: string; username: string };
  /** Hidden from chat history (navigation history). */
  _hidden?: boolean;
  transferData?: TransferData;
  navigation?: { page: { change: string; title: string; location: { href: string } }; token: string };
  mentions: [];
  channels: [];
}

/** Messages with these types are not part of the visible conversation a webhook or transcript carries. */
export function isVisible(message: Message): boolean {
  return !message._hidden && (message.t === undefined || message.t === 'livechat-close');
}

/** A message as agents see it: visitor messages carry the visitor's token, which agents must not learn. */
export function messageForAgent(message: Message): Omit<Message, 'token'> {
  const { token: _token, ...rest } = message;
  return rest;
}
