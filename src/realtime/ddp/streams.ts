/**
 * The three Rocket.Chat streams a visitor may read, and who may read them. Authorization copies Rocket.Chat's
 * streamer rules (rocketchat-compat.md §2.4): no DDP login exists, the visitor token rides in the sub's args.
 */
import type { LiveServices } from '../../services/api.js';
import { sameSecret } from '../../services/ids.js';
import { checkParams } from './frames.js';
import { badRequest, meteorError, NOT_ALLOWED, type MeteorError } from './server-frames.js';

export const STREAM = {
  roomMessages: 'stream-room-messages',
  notifyRoom: 'stream-notify-room',
  livechatRoom: 'stream-livechat-room',
} as const;

export type StreamName = (typeof STREAM)[keyof typeof STREAM];

/** What one subscription listens to: events are matched on (collection, eventName), exactly as the client sends. */
export interface StreamKey {
  collection: StreamName;
  eventName: string;
  rid: string;
}

export type Authorized = { ok: true; key: StreamKey } | { ok: false; error: MeteorError };

/** `<rid>/typing` carries agent typing; `<rid>/deleteMessage` is accepted but never fed (see changes.ts). */
const NOTIFY_EVENT = /^([A-Za-z0-9_-]{1,64})\/(typing|deleteMessage)$/;

type StreamOptions = { args: [{ token?: string; visitorToken?: string }] };

export function authorizeSub(name: string, params: unknown, live: LiveServices): Authorized {
  if (!isStream(name)) return { ok: false, error: meteorError(404, `Subscription '${name.slice(0, 128)}' not found`) };
  const problem = checkParams('streamParams', params);
  if (problem) return { ok: false, error: badRequest(`params.${problem}`) };
  const [eventName, options] = params as [string, StreamOptions];
  const { token, visitorToken } = options.args[0];
  let rid = eventName;
  if (name === STREAM.notifyRoom) {
    const match = NOTIFY_EVENT.exec(eventName);
    if (!match) return { ok: false, error: NOT_ALLOWED };
    rid = match[1]!;
  }
  // Rocket.Chat reads `token` for room messages and notifications but `visitorToken` for the livechat room stream.
  const credential = name === STREAM.livechatRoom ? visitorToken : token;
  const room = live.room(rid);
  if (!room || room.t !== 'l' || credential === undefined || !sameSecret(room.v.token ?? '', credential)) return { ok: false, error: NOT_ALLOWED };
  return { ok: true, key: { collection: name, eventName, rid } };
}

function isStream(name: string): name is StreamName {
  return (Object.values(STREAM) as string[]).includes(name);
}
