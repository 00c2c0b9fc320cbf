/**
 * `GET livechat/config`: everything the widget needs to draw itself, plus the visitor's guest record, open room
 * and agent when the token matches (spec §1.2 #1, §1.3).
 */
import type { ChatServices } from '../../../services/api.js';
import { ok } from '../../presenters.js';
import { queryOf, schema } from '../../validate.js';
import type { VisitorRouter } from './common.js';

/** `department` and `businessUnit` are accepted; departments are listed from the YAML either way. */
const configQuery = schema<{ token?: string; department?: string; businessUnit?: string }>('livechat.json#/definitions/configQuery');

export function configRoutes(router: VisitorRouter, services: ChatServices): void {
  router.get('/config', async (ctx) => {
    const { token } = configQuery(queryOf(ctx), 'query');
    // How this client reached us (Koa honours X-Forwarded-Proto/Host only when server.trustProxy is on).
    const serverUrl = `${ctx.protocol}://${ctx.host}`;
    ctx.body = ok({ config: await services.widgetConfig({ serverUrl, ...(token !== undefined && { token }) }) });
  });
}
