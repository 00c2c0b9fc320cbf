/**
 * Every WebSocket close code livechatd uses, in one place. Clients decide from the code whether to reconnect:
 * 1000/1001 and 4xxx-auth codes mean "do not retry with the same token"; 1006/1011/1013 mean "reconnect with
 * backoff and resume".
 */
export const CLOSE = {
  /** The client closed, or the server is shutting down cleanly. */
  normal: 1000,
  /** The daemon is stopping. Reconnect with backoff. */
  goingAway: 1001,
  /** Invalid UTF-8 in a text frame (enforced by ws). */
  invalidPayload: 1007,
  /** Repeated invalid frames, or a rate limit: the client is misbehaving. */
  policyViolation: 1008,
  /** A frame larger than the channel's maxPayload (enforced by ws). */
  tooBig: 1009,
  /** The server hit a bug handling a frame; the connection is closed, the daemon goes on. Reconnect and resume. */
  internalError: 1011,
  /** The client did not read fast enough and its send buffer passed the cap. Reconnect and resume. */
  tryAgainLater: 1013,
  /** No auth frame in time. */
  authTimeout: 4001,
  /** The token is unknown, expired or revoked. Log in again. */
  authFailed: 4003,
  /** The agent was removed from the configuration. */
  userRemoved: 4004,
} as const;

export type CloseCode = (typeof CLOSE)[keyof typeof CLOSE];
