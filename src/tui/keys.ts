/**
 * Keys → what they do, as a pure function of the state: a list of actions for the reducer and effects for the
 * daemon. The footer and the `?` help are drawn from the same tables (bindings.ts), so they cannot drift apart.
 */
import type { Action } from './actions.js';
import { editKey, EMPTY, type EditKey } from './editor.js';
import type { Effect } from './effects.js';
import { canAct, canReply, canTake, selectedRoom, transferOptions, unsentCount } from './selectors.js';
import { draftOf, type ConsoleState, type Modal } from './state.js';

export interface Key extends EditKey {
  shift?: boolean;
}

/** What the conversation pane can scroll by: a page is its height, max is how far up there is text. */
export interface View {
  page: number;
  maxScroll: number;
}

export interface KeyResult {
  actions: Action[];
  effects: Effect[];
}

const act = (...actions: Action[]): KeyResult => ({ actions, effects: [] });
const run = (...effects: Effect[]): KeyResult => ({ actions: [], effects });
const NOTHING: KeyResult = act();
const modal = (m: Modal | null): Action => ({ type: 'modal', modal: m });
const tell = (text: string): KeyResult => act({ type: 'notice', notice: { tone: 'info', text } });

/**
 * Terminals deliver what arrives together as one chunk, so two cases are split back into what was typed:
 * - text followed by Enter (a quick typist over SSH, tmux send-keys) is the text, then Enter — not a pasted line
 *   break (a chunk with line breaks inside is a paste and stays text);
 * - Esc followed by a key reads as Alt+key; the console binds no Alt+letter, so it is Esc, then the key.
 */
export function splitChunk(input: string, key: Key): [string, Key][] {
  if (key.meta && !key.return && !key.backspace && !key.delete && /^\S$/u.test(input)) {
    return [
      ['', { escape: true }],
      [input, { ...key, meta: false }],
    ];
  }
  if (key.return || input.length < 2 || !input.endsWith('\r')) return [[input, key]];
  const text = input.slice(0, -1);
  if (/[\r\n]/.test(text)) return [[input, key]];
  return [
    [text, { ...key, return: false }],
    ['', { return: true }],
  ];
}

/** Whether typed text goes into an editor right now: the input line, or a dialog's field. */
export function takesText(state: ConsoleState): boolean {
  if (state.modal) return state.modal.kind === 'close' || state.modal.kind === 'transfer' || state.modal.kind === 'transfer-comment';
  return state.focus === 'input';
}

export function handleKey(state: ConsoleState, input: string, key: Key, view: View): KeyResult {
  if (state.quitting) return NOTHING;
  const result = route(state, input, key, view);
  // A notice stays until the next key, like a shell's last message.
  return state.notice && !result.actions.some((a) => a.type === 'notice') ? { ...result, actions: [{ type: 'notice', notice: null }, ...result.actions] } : result;
}

function route(state: ConsoleState, input: string, key: Key, view: View): KeyResult {
  if (key.ctrl && input === 'c') return quit(state);
  if (state.modal) return modalKey(state, state.modal, input, key);
  const rid = state.selected;
  if (key.pageUp) return act({ type: 'scroll', delta: view.page, max: view.maxScroll });
  if (key.pageDown) return act({ type: 'scroll', delta: -view.page, max: view.maxScroll });
  if (key.ctrl && input === 'r' && rid) return run({ type: 'retry', rid });
  if (key.ctrl && input === 'x' && rid) return act({ type: 'discard-failed', rid });
  if (key.tab) return act({ type: 'cycle-focus', back: key.shift === true });
  return state.focus === 'input' ? inputKey(state, input, key) : commandKey(state, input, key, view);
}

function quit(state: ConsoleState): KeyResult {
  const unsent = unsentCount(state);
  if (unsent > 0 && state.modal?.kind !== 'quit') return act(modal({ kind: 'quit', unsent }));
  return run({ type: 'quit' });
}

/** In the list and the conversation, letters are commands. */
function commandKey(state: ConsoleState, input: string, key: Key, view: View): KeyResult {
  const room = selectedRoom(state);
  const inList = state.focus === 'list';
  if (key.upArrow || input === 'k') return inList ? act({ type: 'move', delta: -1 }) : act({ type: 'scroll', delta: 1, max: view.maxScroll });
  if (key.downArrow || input === 'j') return inList ? act({ type: 'move', delta: 1 }) : act({ type: 'scroll', delta: -1, max: view.maxScroll });
  if (key.home || input === 'g') return act({ type: 'scroll', delta: view.maxScroll, max: view.maxScroll });
  if (key.end || input === 'G') return act({ type: 'scroll-bottom' });
  if (key.escape) return act({ type: 'focus', pane: 'list' });
  if (key.return || input === 'r') {
    if (!room) return NOTHING;
    if (inList && canTake(room) && key.return) return run({ type: 'take', rid: room._id });
    if (canReply(state, room)) return act({ type: 'focus', pane: 'input' });
    return tell(canTake(room) ? 'Press Enter in the list to take this chat first' : 'You cannot write in this chat');
  }
  switch (input) {
    case 's':
      return run({ type: 'status', status: state.me.status === 'available' ? 'away' : 'available' });
    case 'c':
      return canAct(state, room) ? act(modal({ kind: 'close', rid: room!._id, comment: EMPTY })) : tell('Select an open chat to close');
    case 't':
      return canAct(state, room) ? act(modal({ kind: 'transfer', rid: room!._id, filter: EMPTY, index: 0 })) : tell('Select an open chat to transfer');
    case 'v':
      return act({ type: 'toggle-visitor' });
    case '?':
      return act(modal({ kind: 'help' }));
    case 'q':
      return quit(state);
    default:
      return NOTHING;
  }
}

/** In the input line, letters are text; Enter sends, Alt+Enter (or Ctrl-J) starts a new line. */
function inputKey(state: ConsoleState, input: string, key: Key): KeyResult {
  const room = selectedRoom(state);
  if (key.escape) return act({ type: 'focus', pane: 'list' });
  if (!room) return NOTHING;
  const draft = draftOf(state, room._id);
  if (key.return && (key.meta || key.shift)) return act({ type: 'draft', rid: room._id, editor: editKey(draft, '\n', {})! });
  if (key.return) {
    const msg = draft.text.trim();
    if (msg === '') return NOTHING;
    if (!canReply(state, room)) return tell(canTake(room) ? 'Take the chat first: Esc, then Enter' : 'This chat is closed');
    if (state.messageMaxLength !== undefined && [...msg].length > state.messageMaxLength) {
      return act({ type: 'notice', notice: { tone: 'error', text: `Too long: ${[...msg].length} characters, the limit is ${state.messageMaxLength}` } });
    }
    return { actions: [{ type: 'draft', rid: room._id, editor: EMPTY }, { type: 'scroll-bottom' }], effects: [{ type: 'send', rid: room._id, msg }] };
  }
  const edited = editKey(draft, input, key);
  return edited ? act({ type: 'draft', rid: room._id, editor: edited }) : NOTHING;
}

function modalKey(state: ConsoleState, m: Modal, input: string, key: Key): KeyResult {
  switch (m.kind) {
    case 'help':
      return act(modal(null));
    case 'quit':
      if (key.return || input === 'q' || input === 'y') return run({ type: 'quit' });
      return key.escape || input === 'n' ? act(modal(null)) : NOTHING;
    case 'close': {
      if (key.escape) return act(modal(null));
      if (key.return) return { actions: [modal(null)], effects: [{ type: 'close', rid: m.rid, comment: m.comment.text.trim() }] };
      const comment = editKey(m.comment, input, key);
      return comment ? act(modal({ ...m, comment })) : NOTHING;
    }
    case 'transfer': {
      const options = transferOptions(state, m.rid, m.filter.text);
      if (key.escape) return act(modal(null));
      if (key.upArrow) return act(modal({ ...m, index: Math.max(0, m.index - 1) }));
      if (key.downArrow) return act(modal({ ...m, index: Math.min(options.length - 1, m.index + 1) }));
      if (key.return) {
        const target = options[m.index];
        return target ? act(modal({ kind: 'transfer-comment', rid: m.rid, target, comment: EMPTY })) : NOTHING;
      }
      const filter = editKey(m.filter, input, key);
      return filter ? act(modal({ ...m, filter, index: 0 })) : NOTHING;
    }
    case 'transfer-comment': {
      if (key.escape) return act(modal({ kind: 'transfer', rid: m.rid, filter: EMPTY, index: 0 }));
      if (key.return) return { actions: [modal(null)], effects: [{ type: 'transfer', rid: m.rid, target: m.target, comment: m.comment.text.trim() }] };
      const comment = editKey(m.comment, input, key);
      return comment ? act(modal({ ...m, comment })) : NOTHING;
    }
  }
}
