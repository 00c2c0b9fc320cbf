/**
 * The host page's API calls (`RocketChat(function(){ this.setDepartment('sales') })`), relayed by the loader, and
 * the loader's own messages (panel opened/closed, page visited, trigger fired).
 */
import type { TriggerAction } from '../shared/protocol';
import { nextAgent, sendPageVisit, VISITOR_TOKEN } from './api';
import { focusMain } from './focus';
import type { Session } from './session';
import type { Theme } from './types';

const THEME_KEYS = ['color', 'fontColor', 'iconColor', 'title', 'offlineTitle'] as const;

type Args = unknown[];

export function handleHostCall(session: Session, fn: string, args: Args): void {
  const [first, second, third] = args;
  const text = (v: unknown): string | undefined => (typeof v === 'string' || typeof v === 'number' ? String(v) : undefined);
  const { state } = session;
  switch (fn) {
    case 'setOpen':
      session.set({ open: !!first, ...(first ? { unread: 0 } : {}) });
      if (first && second) focusMain();
      if (!first) session.stopTyping();
      return;
    case 'pageVisited':
      session.page = { change: first === 'title' ? 'title' : 'url', location: { href: String(second) }, title: String(third ?? '') };
      if (state.user) sendPageVisit(session.token, state.room?._id, session.page).catch(() => undefined);
      return;
    case 'trigger':
      void showTrigger(session, String(first), second as TriggerAction);
      return;
    case 'setCustomField': {
      const key = text(first);
      const value = text(second);
      if (!key || value === undefined) return;
      session.fields.set(key, { value, overwrite: third !== false });
      if (state.user) void session.flushFields();
      return;
    }
    case 'setTheme': {
      const theme: Theme = { ...state.theme };
      for (const key of THEME_KEYS) if (text((first as Theme | null)?.[key])) theme[key] = text((first as Theme)[key]);
      session.set({ theme });
      return;
    }
    case 'setLanguage':
      session.set({ language: text(first) ?? null });
      return;
    case 'setDepartment':
      session.set({ department: text(first) || null });
      if (state.user) void session.register().catch(() => undefined);
      return;
    case 'clearDepartment':
      session.set({ department: null });
      if (state.user) void session.register().catch(() => undefined);
      return;
    case 'setGuestName':
    case 'setGuestEmail': {
      const key = fn === 'setGuestName' ? 'name' : 'email';
      session.set({ guest: { ...state.guest, [key]: text(first) } });
      if (state.user) void session.register().catch(() => undefined);
      return;
    }
    case 'setGuestToken': {
      const token = text(first);
      if (!token || !VISITOR_TOKEN.test(token) || token === session.token) return;
      session.useToken(token);
      void session.load();
      return;
    }
    case 'registerGuest':
      void registerGuest(session, (first ?? {}) as Record<string, unknown>);
      return;
    case 'setAgent': {
      const agent = first as { _id?: unknown; username?: unknown } | null;
      if (agent && typeof agent._id === 'string') session.defaultAgent = { _id: agent._id, username: String(agent.username ?? agent._id) };
      return;
    }
    case 'initialize':
      initialize(session, (first ?? {}) as Record<string, unknown>);
      return;
    default:
      return;
  }
}

/** `registerGuest({token?, name, email, department?})`: registers at once and picks up that visitor's chat. */
async function registerGuest(session: Session, guest: Record<string, unknown>): Promise<void> {
  const token = typeof guest.token === 'string' && VISITOR_TOKEN.test(guest.token) ? guest.token : undefined;
  if (token && token !== session.token) session.useToken(token);
  const pick = (key: string): string | undefined => (typeof guest[key] === 'string' ? (guest[key] as string) : undefined);
  if (pick('department')) session.set({ department: pick('department')! });
  try {
    await session.register({ name: pick('name'), email: pick('email') });
    await session.load();
  } catch (err) {
    console.warn(`livechat: registerGuest: ${(err as Error).message}`);
  }
}

function initialize(session: Session, params: Record<string, unknown>): void {
  const call = (fn: string, ...args: unknown[]): void => handleHostCall(session, fn, args);
  if ('department' in params) call('setDepartment', params.department);
  if ('guestToken' in params) call('setGuestToken', params.guestToken);
  if ('guestName' in params) call('setGuestName', params.guestName);
  if ('guestEmail' in params) call('setGuestEmail', params.guestEmail);
  if ('language' in params) call('setLanguage', params.language);
  if ('agent' in params) call('setAgent', params.agent);
  if ('registerGuest' in params) call('registerGuest', params.registerGuest);
  const fields = [...(params.customField ? [params.customField] : []), ...((params.setCustomFields as unknown[]) ?? [])] as { key: unknown; value: unknown; overwrite?: unknown }[];
  for (const f of fields) call('setCustomField', f.key, f.value, f.overwrite);
}

/** A trigger's `send-message`: shown as from the next agent of the queue, or from the configured name. */
async function showTrigger(session: Session, id: string, action: TriggerAction | undefined): Promise<void> {
  if (action?.name !== 'send-message' || typeof action.params?.msg !== 'string') return;
  let name = action.params.name;
  if (action.params.sender === 'queue') {
    try {
      const agent = await nextAgent(session.token, session.state.department ?? undefined);
      if (agent?._id && agent.username) {
        session.defaultAgent = { _id: agent._id, username: agent.username };
        if (!agent.hiddenInfo) name = agent.name || agent.username;
      }
    } catch {
      // no agent to name (or the server does not know this visitor yet): the message still shows
    }
  }
  session.upsert({ _id: `trigger-${id}`, msg: action.params.msg, ts: new Date().toISOString(), u: { _id: 'trigger', username: name ?? '', ...(name && { name }) }, trigger: true });
  if (!session.state.open) session.set({ unread: session.state.unread + 1 });
}
