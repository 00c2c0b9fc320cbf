/**
 * The DDP methods a visitor may call. Every call is answered with a `result` (spec §2.3), so each handler returns
 * either a value or a Meteor error; only unforeseen failures throw (the session answers those with a 500).
 */
import { isAppError } from '../../domain/errors.js';
import type { LiveServices } from '../../services/api.js';
import { checkParams } from './frames.js';
import { badRequest, meteorError, NOT_ALLOWED, type MeteorError } from './server-frames.js';

export interface MethodContext {
  live: LiveServices;
  /** Ties a visitor token to this connection; the first call wins, as in Rocket.Chat. */
  bindToken(token: string): Promise<void>;
}

export type MethodOutcome = { ok: true; value?: unknown } | { ok: false; error: MeteorError };

type Handler = (ctx: MethodContext, params: unknown[]) => Promise<MethodOutcome>;

const METHODS: Record<string, Handler> = {
  /**
   * Sent right after `connected`, usually before the visitor is even registered, so the token need not be known
   * yet: Rocket.Chat only remembers it, to mark the visitor offline when this socket closes.
   */
  async 'livechat:setUpConnection'(ctx, params) {
    const problem = checkParams('setUpConnectionParams', params);
    if (problem) return { ok: false, error: badRequest(`params.${problem}`) };
    await ctx.bindToken((params[0] as { token: string }).token);
    return { ok: true };
  },

  /**
   * Visitor typing: `["<rid>/typing", username, typing, {token}]`. Allowed when the token is the room's visitor's
   * (Rocket.Chat's write rule); the claimed username is ignored, the room says who its visitor is. Nobody awaits
   * the result, but it is sent all the same. Other notifications (`<rid>/webrtc`: declining a call we never
   * start) are refused.
   */
  async 'stream-notify-room'(ctx, params) {
    if (typeof params[0] !== 'string' || !params[0].endsWith('/typing')) return { ok: false, error: NOT_ALLOWED };
    const problem = checkParams('typingParams', params);
    if (problem) return { ok: false, error: badRequest(`params.${problem}`) };
    const [eventName, , typing, { token }] = params as [string, string, boolean, { token: string }];
    try {
      await ctx.live.visitorTyping({ token, rid: eventName.slice(0, -'/typing'.length), typing });
    } catch (err) {
      if (isAppError(err, 'invalid-token') || isAppError(err, 'invalid-room')) return { ok: false, error: NOT_ALLOWED };
      throw err;
    }
    return { ok: true };
  },
};

export function callMethod(ctx: MethodContext, method: string, params: unknown[]): Promise<MethodOutcome> {
  const handler = Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
  if (!handler) return Promise.resolve({ ok: false, error: meteorError(404, `Method '${method}' not found`) });
  return handler(ctx, params);
}
