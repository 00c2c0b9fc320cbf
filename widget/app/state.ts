/**
 * The app's state: one immutable object replaced on every change, plus the values derived from it (language,
 * title, colours). Components subscribe through `useAppState`.
 */
import type { ConnectionState } from '../../src/client/channel';
import { pickLanguage, translate, type TextKey } from './i18n/index';
import type { Agent, ChatMessage, Guest, Theme, WidgetConfig } from './types';

export type Screen = 'loading' | 'error' | 'disabled' | 'register' | 'chat' | 'offline' | 'offline-sent' | 'unavailable' | 'finished';

export interface State {
  screen: Screen;
  config: WidgetConfig | null;
  user: Guest | null;
  room: { _id: string; status?: string } | null;
  agent: Agent | null;
  queue: number | null;
  messages: ChatMessage[];
  /** Name of the agent typing right now. */
  typing: string | null;
  connection: ConnectionState | 'idle';
  storageBlocked: boolean;
  /** The panel is open (always, outside a widget). */
  open: boolean;
  unread: number;
  /** From `setLanguage()`. */
  language: string | null;
  /** From `setTheme()`. */
  theme: Theme;
  /** Department chosen by the site (`setDepartment`): the form does not ask again. */
  department: string | null;
  /** Name and e-mail the site already knows (`setGuestName`, `setGuestEmail`), to prefill the form. */
  guest: { name?: string; email?: string };
  /** A text key for a one-line problem shown above the composer. */
  problem: TextKey | null;
  confirmingClose: boolean;
}

export const initialState = (storageBlocked: boolean, open: boolean): State => ({
  screen: 'loading',
  config: null,
  user: null,
  room: null,
  agent: null,
  queue: null,
  messages: [],
  typing: null,
  connection: 'idle',
  storageBlocked,
  open,
  unread: 0,
  language: null,
  theme: {},
  department: null,
  guest: {},
  problem: null,
  confirmingClose: false,
});

export function languageOf(state: State): string {
  return pickLanguage([state.language ?? undefined, ...navigator.languages, state.config?.settings.language]);
}

export type Translate = (key: TextKey, vars?: Record<string, string | number>) => string;

export function translator(state: State): Translate {
  const lang = languageOf(state);
  return (key, vars) => translate(lang, key, vars);
}

/** The screen the state calls for, when nothing more specific (a form just sent, a chat just finished) shows. */
export function screenFor(state: State): Screen | undefined {
  const { config, room, user, department } = state;
  if (!config) return undefined;
  const s = config.settings;
  const choice = config.departments.filter((d) => d.showOnRegistration).length > 1 && !department;
  const asks = s.nameFieldRegistrationForm || s.emailFieldRegistrationForm || choice || !!config.customFields?.length || s.forceAcceptDataProcessingConsent;
  if (!config.enabled) return 'disabled';
  if (room) return 'chat';
  if (!config.online) return s.displayOfflineForm === false ? 'unavailable' : 'offline';
  if (s.registrationForm && !user && asks) return 'register';
  return 'chat';
}

/** Whether to present the online face: agents are online, or this visitor's chat is running anyway. */
export function isOnline(state: State): boolean {
  return !!state.config?.online || state.room !== null;
}

export function themeOf(state: State): { title: string; color: string; fontColor?: string } {
  const theme = { ...state.config?.theme, ...state.theme };
  const online = isOnline(state);
  return {
    title: (online ? theme.title : theme.offlineTitle) || 'Chat',
    color: (online ? theme.color : theme.offlineColor) || '#666666',
    ...(theme.fontColor && { fontColor: theme.fontColor }),
  };
}

/** Messages in conversation order: trigger messages first, then by server seq, then the ones on their way. */
export function ordered(messages: ChatMessage[]): ChatMessage[] {
  const rank = (m: ChatMessage): number => (m.trigger ? -1 : (m.seq ?? Number.MAX_SAFE_INTEGER));
  return [...messages].sort((a, b) => rank(a) - rank(b));
}

/** What the loader shows on the launcher: the unread count, its accessible name while closed and while open. */
export function launcherLabels(state: State): [unread: number, closed: string, open: string] {
  const t = translator(state);
  const { unread } = state;
  const closed = t('launcherOpen', { title: themeOf(state).title }) + (unread ? `, ${t('unread', { n: unread })}` : '');
  return [unread, closed, t('launcherClose')];
}
