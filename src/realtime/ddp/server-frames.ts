/**
 * Frames the server sends on /websocket, in the shapes the Rocket.Chat SDK reads (rocketchat-compat.md §2.3).
 */

/** Meteor.Error as it travels in `result.error` and `nosub.error`. */
export interface MeteorError {
  isClientSafe: true;
  error: string | number;
  reason?: string;
  message: string;
  errorType: 'Meteor.Error';
}

export function meteorError(error: string | number, reason?: string): MeteorError {
  return { isClientSafe: true, error, ...(reason !== undefined && { reason }), message: reason ? `${reason} [${error}]` : `[${error}]`, errorType: 'Meteor.Error' };
}

export const NOT_ALLOWED = meteorError('not-allowed', 'Not allowed');
export const badRequest = (detail: string) => meteorError(400, `Match failed: ${detail}`);

export const connected = (session: string) => ({ msg: 'connected', session });

/** The SDK matches `pong` by type only: a server pong carries no id, even when the ping had one. */
export const PONG = JSON.stringify({ msg: 'pong' });
export const PING = JSON.stringify({ msg: 'ping' });

export function result(id: string, value?: unknown) {
  return value === undefined ? { msg: 'result', id } : { msg: 'result', id, result: value };
}

export const failure = (id: string, error: MeteorError) => ({ msg: 'result', id, error });

/**
 * Exactly one id per `ready`: the SDK resolves a subscription from `subs[0]` only, so a batched ready would leave
 * every other sub of the batch pending forever (and the widget registers its agent/queue handlers only after).
 */
export const ready = (id: string) => ({ msg: 'ready', subs: [id] });

export function nosub(id: string, error?: MeteorError) {
  return error ? { msg: 'nosub', id, error } : { msg: 'nosub', id };
}

/** The client dispatches on `collection` alone; `id` is the constant Rocket.Chat's streamer sends. */
export function changed(collection: string, eventName: string, args: readonly unknown[]) {
  return { msg: 'changed', collection, id: 'id', fields: { eventName, args } };
}

export const error = (reason: string) => ({ msg: 'error', reason });

export const failed = (version: string) => ({ msg: 'failed', version });
