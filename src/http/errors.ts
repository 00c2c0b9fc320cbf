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
  'rate-limited': 429,
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

export function errorBody(code: string, reason?: string): { success: false; error: string; errorType: string } {
  return { success: false, error: reason ? `${reason} [${code}]` : `[${code}]`, errorType: code };
}

/** Koa middleware: turns thrown errors into JSON responses; unexpected ones are logged and answered as 500. */
export function errorMiddleware(logger: Logger): Koa.Middleware {
  return async (ctx, next) => {
    try {
      await next();
      if (ctx.status === 404 && ctx.body === undefined) {
        ctx.status = 404;
        ctx.body = errorBody('not-found', `No route for ${ctx.method} ${ctx.path}`);
      }
    } catch (err) {
      const known = toAppError(err);
      if (known.code === 'internal-error') logger.error({ err, method: ctx.method, path: ctx.path }, 'request failed');
      ctx.status = statusOf(known.code);
      ctx.body = { ...errorBody(known.code, known.message), ...(known.details?.body as object | undefined) };
      const retryAfter = known.details?.retryAfterSeconds;
      if (typeof retryAfter === 'number') ctx.set('Retry-After', String(retryAfter));
    }
  };
}

/** Koa's own HTTP errors (bad JSON, too-large bodies) carry a status; map them onto our codes. */
function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const status = (err as { status?: unknown })?.status;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code: ErrorCode = status === 413 ? 'payload-too-large' : status === 404 ? 'not-found' : 'invalid-params';
    return new AppError(code, (err as Error).message);
  }
  return new AppError('internal-error', 'Internal server error');
}
