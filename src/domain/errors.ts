/**
 * Errors are values with a stable `code`. Services throw (or return) `AppError`s; the HTTP and WebSocket layers
 * map codes to status codes / close codes in one place each. `message` is for people and must never contain a
 * secret (tokens, password hashes, webhook secrets).
 */
export type ErrorCode =
  // input
  | 'invalid-params'
  | 'payload-too-large'
  | 'not-found'
  | 'unauthorized'
  | 'forbidden'
  | 'error-too-many-requests'
  // Rocket.Chat visitor API codes (the strings existing clients compare against)
  | 'invalid-token'
  | 'invalid-room'
  | 'room-closed'
  | 'no-agent-online'
  | 'error-omnichannel-is-disabled'
  | 'error-invalid-department'
  | 'visitor-has-open-rooms'
  | 'invalid-agent'
  | 'agent-not-found'
  | 'invalid-message'
  | 'error-action-not-allowed'
  | 'message-length-exceeds-character-limit'
  | 'invalid-custom-field'
  | 'error-invalid-custom-field-value'
  | 'invalid-data'
  | 'error-file-upload-disabled'
  | 'error-token-param-not-provided'
  | 'error-offline-form-disabled'
  | 'error-invalid-email-address'
  | 'error-transcript-not-configured'
  // store
  | 'store-locked'
  | 'store-layout-mismatch'
  | 'store-unavailable'
  | 'store-closed'
  // config
  | 'config-invalid'
  // anything we did not foresee
  | 'internal-error';

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

export function isAppError(e: unknown, code?: ErrorCode): e is AppError {
  return e instanceof AppError && (code === undefined || e.code === code);
}
