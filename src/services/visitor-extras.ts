/**
 * The rest of the visitor API: custom fields, navigation history and offline messages.
 */
import { AppError } from '../domain/errors.js';
import type { OfflineMessage } from '../domain/events.js';
import type { BatchOp } from '../domain/ports/store.js';
import type { ChatServices, PageInfo } from './api.js';
import type { ChatState } from './chat-state.js';
import type { ServiceDeps } from './context.js';
import { applyCustomFields, type CustomFieldInput } from './custom-field-rules.js';
import { resolveDepartment } from './departments.js';
import type { Dispatcher } from './dispatch.js';
import type { RateLimits } from './rate-limits.js';
import type { Visitors } from './visitors.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function visitorExtras(
  deps: ServiceDeps,
  parts: { state: ChatState; visitors: Visitors; dispatcher: Dispatcher; limits: RateLimits },
): Pick<ChatServices, 'customFields' | 'pages' | 'offline'> {
  const { state, visitors, dispatcher, limits } = parts;

  /** All values are checked before any is stored: one bad field changes nothing. */
  const setFields = (token: string, inputs: CustomFieldInput[]) =>
    visitors.lock.run(token, async () => {
      const visitor = await visitors.require(token);
      const room = state.ofToken(token);
      const result = applyCustomFields(deps.config(), visitor, inputs, 'strict', room);
      const ops: BatchOp[] = [{ type: 'put', collection: 'visitors', key: token, value: result.visitor }];
      if (result.room) {
        state.set(result.room);
        ops.push({ type: 'put', collection: 'rooms', key: result.room._id, value: result.room });
      }
      await dispatcher.apply(room && result.room ? [{ before: room, after: result.room }] : [], ops, [
        { type: 'visitor.updated', visitor: result.visitor },
        ...(result.room ? [{ type: 'room.updated' as const, room: result.room }] : []),
      ]);
      return inputs;
    });

  return {
    customFields: {
      set: async ({ token, key, value, overwrite }) => (await setFields(token, [{ key, value, overwrite }]))[0]!,
      setMany: ({ token, customFields }) => setFields(token, customFields),
    },

    pages: {
      async visited({ token, rid, pageInfo, ip }) {
        // Like Rocket.Chat, pages are recorded by token before the visitor registers: the agent then sees the
        // path that led to the chat.
        if (pageInfo.change !== 'url') return undefined;
        if (ip !== undefined) await limits.take('pageVisitsPerIp', ip);
        const now = deps.now().toISOString();
        const page: PageInfo = { change: pageInfo.change, title: pageInfo.title, location: { href: pageInfo.location.href } };
        const open = state.ofToken(token);
        const record = { ts: now, page, ...(open && (rid === undefined || rid === open._id) && { rid: open._id }) };
        await dispatcher.apply([], [{ type: 'put', collection: 'pages', key: `${token}!${now}!${deps.newId()}`, value: record }], []);
        return { msg: `${page.title} - ${page.location.href}`, navigation: { page, token } };
      },
    },

    offline: {
      async send({ name, email, message, department, host, ip }) {
        const config = deps.config();
        if (!config.appearance.offlineForm.enabled) throw new AppError('error-offline-form-disabled', 'Offline form is disabled');
        if (ip !== undefined) await limits.take('offlineMessagesPerIp', ip);
        const address = email.trim().toLowerCase();
        if (!EMAIL.test(address)) throw new AppError('error-invalid-email-address', 'Invalid email address');
        let departmentId: string | undefined;
        if (department !== undefined && department !== '') {
          departmentId = resolveDepartment(config, department)?.id;
          if (departmentId === undefined) throw new AppError('error-invalid-department', 'The provided department is invalid');
        }
        const offline: OfflineMessage = {
          _id: deps.newId(),
          name,
          email: address,
          message,
          ts: deps.now().toISOString(),
          ...(departmentId !== undefined && { department: departmentId }),
          ...(host !== undefined && { host }),
        };
        await dispatcher.apply([], [{ type: 'put', collection: 'offline', key: offline._id, value: offline }], [{ type: 'offline.message', offline }]);
      },
    },
  };
}
