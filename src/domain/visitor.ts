/**
 * A website visitor. The token is the visitor's only credential (Rocket.Chat's model): whoever holds it is the
 * visitor. Stored by token; `_id` is public (it appears in messages' `u._id`).
 */
export type VisitorStatus = 'online' | 'away' | 'offline';

export interface Visitor {
  _id: string;
  /** `guest-<n>`, from a persisted counter. */
  username: string;
  token: string;
  name?: string;
  visitorEmails?: { address: string }[];
  phone?: { phoneNumber: string }[];
  /** Department id chosen at registration (or by `setDepartment`). */
  department?: string;
  /** Values of visitor-scoped custom fields, by field id. */
  livechatData: Record<string, string>;
  /**
   * Room-scoped custom field values sent before the visitor's room exists (the widget sends custom fields as soon
   * as the visitor registers); copied into the room when it opens.
   */
  roomFields?: Record<string, string>;
  status: VisitorStatus;
  ts: string;
  _updatedAt: string;
  ip?: string;
  userAgent?: string;
  host?: string;
}

/** Client-made tokens are accepted only in this shape: long enough to be unguessable, safe in paths and keys. */
export const VISITOR_TOKEN = /^[A-Za-z0-9_-]{16,128}$/;

export function isVisitorToken(value: unknown): value is string {
  return typeof value === 'string' && VISITOR_TOKEN.test(value);
}
