/**
 * The key tables people read: the `?` help, `livechat agent --help`, and the footer's short hints for where the
 * focus is. keys.ts implements them; keep the two in step.
 */
import { canAct, canReply, canTake, selectedRoom } from './selectors.js';
import type { ConsoleState } from './state.js';

export interface HelpSection {
  title: string;
  keys: [string, string][];
}

/** Short enough for two columns on an 80-column terminal. */
export const HELP: HelpSection[] = [
  {
    title: 'Chats',
    keys: [
      ['↑ ↓  j k', 'move in the list'],
      ['Enter', 'take · reply'],
      ['c', 'close, with comment'],
      ['t', 'transfer'],
      ['s', 'available ↔ away'],
      ['v', 'visitor details'],
    ],
  },
  {
    title: 'Writing',
    keys: [
      ['Enter', 'send'],
      ['Alt+Enter Ctrl-J', 'new line'],
      ['Ctrl-W Ctrl-U', 'delete word · line'],
      ['Ctrl-R Ctrl-X', 'retry · drop unsent'],
      ['Esc', 'back to the list'],
    ],
  },
  {
    title: 'Moving around',
    keys: [
      ['Tab Shift-Tab', 'next · previous pane'],
      ['PgUp PgDn', 'scroll the chat'],
      ['g G Home End', 'oldest · newest'],
      ['?', 'this help'],
      ['q Ctrl-C', 'quit (logs out)'],
    ],
  },
];

export const ENVIRONMENT: [string, string][] = [
  ['LIVECHAT_SERVER', 'daemon URL when --server is not given (default http://127.0.0.1:3000)'],
  ['LIVECHAT_USER', 'username when --user is not given'],
  ['LIVECHAT_PASSWORD', 'password; without it the console asks, without echo'],
  ['LIVECHAT_BELL', 'set to "off" to silence the terminal bell (same as --no-bell)'],
];

/** Short hints for the footer: what the keys do right here, right now. */
export function footerHints(state: ConsoleState): [string, string][] {
  const room = selectedRoom(state);
  if (state.modal?.kind === 'close') return [['Enter', 'close chat'], ['Esc', 'cancel']];
  if (state.modal?.kind === 'transfer') return [['↑↓', 'choose'], ['type', 'filter or agent name'], ['Enter', 'next'], ['Esc', 'cancel']];
  if (state.modal?.kind === 'transfer-comment') return [['Enter', 'transfer'], ['Esc', 'back']];
  if (state.modal) return [['any key', 'back']];
  if (state.focus === 'input') {
    return [['Enter', 'send'], ['Alt+Enter', 'new line'], ['PgUp/PgDn', 'scroll'], ['Esc', 'list'], ['Tab', 'pane']];
  }
  const hints: [string, string][] = [];
  if (canTake(room)) hints.push(['Enter', 'take']);
  else if (canReply(state, room)) hints.push(['Enter', 'reply']);
  if (canAct(state, room)) hints.push(['t', 'transfer'], ['c', 'close']);
  hints.push(['s', state.me.status === 'available' ? 'away' : 'available'], ['v', 'visitor'], ['Tab', 'pane'], ['?', 'help'], ['q', 'quit']);
  return hints;
}
