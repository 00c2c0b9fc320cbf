/**
 * The one place where error codes become HTTP statuses. Every response is JSON, errors included, in the
 * Rocket.Chat shape `{success:false, error:"<reason> [<code>]", errorType:"<code>"}` that existing clients parse.
 */
import type Koa from 'koa';
import { AppError, type ErrorCode } from '../domain/errors.js';
import type { Logger } from '../telemetry/logger.js';

const STATUS: Record<ErrorCode, number> = {
  'invalid-params': 400,
  'payload-too-large': 413,
  'not-found': 404,
  unauthorized: 401,
  forbidden: 403,
  'error-too-many-requests': 429,
  // Rocket.Chat answers its visitor API errors with 400, and clients expect that.
  'invalid-token': 400,
  'invalid-room': 400,
  'room-closed': 400,
  'no-agent-online': 400,
  'error-omnichannel-is-disabled': 400,
  'error-invalid-department': 400,
  'visitor-has-open-rooms': 400,
  'invalid-agent': 400,
  'agent-not-found': 400,
  'invalid-message': 400,
  'error-action-not-allowed': 400,
  'message-length-exceeds-character-limit': 400,
  'invalid-custom-field': 400,
  'error-invalid-custom-field-value': 400,
  'invalid-data': 400,
  'error-file-upload-disabled': 400,
  'error-token-param-not-provided': 400,
  'error-offline-form-disabled': 400,
  'error-invalid-email-address': 400,
  'error-transcript-not-configured': 400,
  'store-locked': 503,
  'store-layout-mismatch': 503,
  'store-unavailable': 503,
  'store-closed': 503,
  'config-invalid': 400,
  'internal-error': 500,
};

export function statusOf(code: ErrorCode): number {
  return STATUS[code];
}

export interface ErrorBody {
  success: false;
  error: string;
  errorType: string;
  /** Offline form and transcript: Rocket.Chat's widget shows `error.data.message` (spec §1.0 shape E). */
  message?: string;
  /** Upload: the widget reads `error.data.reason` (spec §1.2 #24). */
  reason?: string;
}

export function errorBody(code: string, reason?: string): ErrorBody {
  return { success: false, error: reason ? `${reason} [${code}]` : `[${code}]`, errorType: code };
}

/**
 * The answer for an AppError. `details` may add the two fields some Rocket.Chat clients read instead of `error`
 * (`message`, `reason`) and `retryAfterSeconds`, which becomes a Retry-After header; nothing else in details
 * reaches the client.
 */
export function errorResponse(err: AppError): { status: number; body: ErrorBody; retryAfter?: number } {
  const body = errorBody(err.code, err.message);
  const { message, reason, retryAfterSeconds } = err.details ?? {};
  if (typeof message === 'string') body.message = message;
  if (typeof reason === 'string') body.reason = reason;
  return { status: statusOf(err.code), body, ...(typeof retryAfterSeconds === 'number' && { retryAfter: Math.ceil(retryAfterSeconds) }) };
}

/**
 * Koa middleware: turns thrown errors into JSON responses; unexpected ones are logged and answered as 500.
 * Logs name the matched route pattern, never the concrete path: visitor paths carry tokens.
 */
export function errorMiddleware(logger: Logger): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body == null) {
        ctx.status = 404;
        ctx.body = errorBody('not-found', `No route for ${ctx.method} ${ctx.path}`);
      }
    } catch (err) {
      const known = toAppError(err);
      if (known.code === 'internal-error') logger.error({ err, method: ctx.method, route: String(ctx._matchedRoute ?? 'unmatched') }, 'request failed');
      const { status, body, retryAfter } = errorResponse(known);
      ctx.status = status;
      ctx.body = body;
      if (retryAfter !== undefined) ctx.set('Retry-After', String(retryAfter));
    }
  };
}

/** Errors that are not AppErrors but carry a 4xx status (Koa's, the router's) map onto our codes; the rest is a 500. */
function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const status = (err as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code: ErrorCode = status === 413 ? 'payload-too-large' : status === 404 ? 'not-found' : 'invalid-params';
    return new AppError(code, (err as Error).message);
  }
  return new AppError('internal-error', 'Internal server error');
}
