/**
 * `POST livechat/offline.message`: the form a visitor fills in when nobody is online.
 */
import type { ChatServices } from '../../../services/api.js';
import { jsonBody } from '../../body.js';
import { ok } from '../../presenters.js';
import { schema } from '../../validate.js';
import { reasonAsMessage, type VisitorRouter } from './common.js';

interface OfflineBody {
  name: string;
  email: string;
  message: string;
  department?: string | null;
  /** The widget's `window.location.origin`. */
  host?: string | null;
}

const offlineBody = schema<OfflineBody>('livechat.json#/definitions/offlineMessage');

export function offlineRoutes(router: VisitorRouter, services: ChatServices): void {
  router.post('/offline.message', reasonAsMessage, async (ctx) => {
    const { name, email, message, department, host } = await jsonBody(ctx, offlineBody);
    await services.offline.send({ name, email, message, ip: ctx.ip, ...(department != null && department !== '' && { department }), ...(host != null && { host }) });
    ctx.body = ok({ message: 'Livechat offline message sent' });
  });
}
