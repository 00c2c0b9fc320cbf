/** Keys → actions and effects, as a pure function of the state. */
import { describe, expect, it } from 'vitest';
import { EMPTY, insert } from '../../../src/tui/editor.js';
import { handleKey, splitChunk, type Key } from '../../../src/tui/keys.js';
import { reduce } from '../../../src/tui/reduce.js';
import type { ConsoleState } from '../../../src/tui/state.js';
import { alice, lead, ready, room, served, stateAfter } from './samples.js';

const VIEW = { page: 10, maxScroll: 40 };
const press = (state: ConsoleState, input: string, key: Key = {}) => handleKey(state, input, key, VIEW);
const apply = (state: ConsoleState, input: string, key: Key = {}) => press(state, input, key).actions.reduce(reduce, state);

const withQueue = () => stateAfter(alice, ready(alice, [served('r1', 'alice', { ts: '2024-05-02T14:00:00Z' })], [room('q1')]));

describe('in the list', () => {
  it('moves with arrows and j/k, takes with Enter, and goes to the input on an open chat', () => {
    const state = withQueue();
    expect(state.selected).toBe('q1');
    expect(press(state, '', { return: true }).effects).toEqual([{ type: 'take', rid: 'q1' }]);
    const onMine = apply(state, 'j');
    expect(onMine.selected).toBe('r1');
    expect(apply(onMine, '', { upArrow: true }).selected).toBe('q1');
    expect(apply(onMine, '', { return: true }).focus).toBe('input');
  });

  it('s toggles available and away; c and t open their dialogs; v, ? and q', () => {
    const state = withQueue();
    expect(press(state, 's').effects).toEqual([{ type: 'status', status: 'away' }]);
    expect(press(reduce(state, { type: 'profile', user: { ...alice, status: 'away' } }), 's').effects).toEqual([{ type: 'status', status: 'available' }]);
    expect(apply(state, 'c').modal).toEqual({ kind: 'close', rid: 'q1', comment: EMPTY });
    expect(apply(state, 't').modal).toEqual({ kind: 'transfer', rid: 'q1', filter: EMPTY, index: 0 });
    expect(apply(state, 'v').showVisitor).toBe(true);
    expect(apply(state, '?').modal).toEqual({ kind: 'help' });
    expect(press(state, 'q').effects).toEqual([{ type: 'quit' }]);
    expect(press(state, 'c', { ctrl: true }).effects).toEqual([{ type: 'quit' }]);
  });

  it('Tab and Shift-Tab go round the panes; Esc comes back to the list', () => {
    const state = withQueue();
    const conversation = apply(state, '', { tab: true });
    expect(conversation.focus).toBe('conversation');
    expect(apply(conversation, '', { tab: true }).focus).toBe('input');
    expect(apply(state, '', { tab: true, shift: true }).focus).toBe('input');
    expect(apply(conversation, '', { escape: true }).focus).toBe('list');
  });

  it('PgUp and PgDn scroll by a page, bounded; arrows scroll by a line in the conversation', () => {
    const state = withQueue();
    const up = apply(state, '', { pageUp: true });
    expect(up.scroll).toBe(10);
    expect(apply(up, '', { pageDown: true }).scroll).toBe(0);
    let far = state;
    for (let i = 0; i < 10; i++) far = apply(far, '', { pageUp: true });
    expect(far.scroll).toBe(40);
    const inConversation = { ...state, focus: 'conversation' as const };
    expect(apply(inConversation, 'k').scroll).toBe(1);
    expect(apply({ ...inConversation, scroll: 5 }, 'G').scroll).toBe(0);
  });
});

describe('in the input', () => {
  const typing = (text: string) => {
    const state = apply(apply(withQueue(), 'j'), '', { return: true });
    return reduce(state, { type: 'draft', rid: 'r1', editor: insert(EMPTY, text) });
  };

  it('letters are text, Enter sends the trimmed draft and clears it', () => {
    const state = typing('  Hello ');
    expect(apply(state, 's').drafts.r1!.text).toBe('  Hello s');
    const sent = press(state, '', { return: true });
    expect(sent.effects).toEqual([{ type: 'send', rid: 'r1', msg: 'Hello' }]);
    expect(sent.actions.reduce(reduce, state).drafts.r1).toEqual(EMPTY);
  });

  it('Alt+Enter (and Shift+Enter where the terminal tells) adds a line instead', () => {
    expect(apply(typing('one'), '', { return: true, meta: true }).drafts.r1!.text).toBe('one\n');
    expect(apply(typing('one'), '', { return: true, shift: true }).drafts.r1!.text).toBe('one\n');
    expect(apply(typing('one'), '\n').drafts.r1!.text).toBe('one\n');
  });

  it('refuses what the server would: too long, or a chat not mine', () => {
    const long = press({ ...typing('x'.repeat(20)), messageMaxLength: 10 }, '', { return: true });
    expect(long.effects).toEqual([]);
    expect(long.actions).toContainEqual({ type: 'notice', notice: { tone: 'error', text: 'Too long: 20 characters, the limit is 10' } });
    const queued = reduce(reduce(withQueue(), { type: 'focus', pane: 'input' }), { type: 'draft', rid: 'q1', editor: insert(EMPTY, 'hi') });
    expect(press(queued, '', { return: true }).effects).toEqual([]);
  });

  it('managers may write in any open chat', () => {
    let state = stateAfter(lead, ready(lead, [served('r1', 'bob')]));
    state = reduce(reduce(state, { type: 'focus', pane: 'input' }), { type: 'draft', rid: 'r1', editor: insert(EMPTY, 'Manager here') });
    expect(press(state, '', { return: true }).effects).toEqual([{ type: 'send', rid: 'r1', msg: 'Manager here' }]);
  });
});

describe('dialogs', () => {
  it('close: type a comment, Enter closes with it, Esc cancels', () => {
    let state = apply(withQueue(), 'c');
    for (const ch of 'Done') state = apply(state, ch);
    expect(press(state, '', { return: true }).effects).toEqual([{ type: 'close', rid: 'q1', comment: 'Done' }]);
    expect(apply(state, '', { escape: true }).modal).toBeNull();
  });

  it('transfer: filter, choose, then an optional comment', () => {
    let state = apply(withQueue(), 't');
    for (const ch of 'supp') state = apply(state, ch);
    state = apply(state, '', { return: true });
    expect(state.modal).toMatchObject({ kind: 'transfer-comment', target: { kind: 'department', id: 'support' } });
    for (const ch of 'billing') state = apply(state, ch);
    expect(press(state, '', { return: true }).effects).toEqual([
      { type: 'transfer', rid: 'q1', target: { kind: 'department', id: 'support', label: 'Support' }, comment: 'billing' },
    ]);
  });

  it('quitting with unsent replies asks first', () => {
    const state = reduce(withQueue(), { type: 'send-started', rid: 'r1', clientMsgId: 'c1', msg: 'x' });
    const asked = apply(state, 'q');
    expect(asked.modal).toEqual({ kind: 'quit', unsent: 1 });
    expect(press(asked, 'q').effects).toEqual([{ type: 'quit' }]);
    expect(apply(asked, '', { escape: true }).modal).toBeNull();
  });
});

describe('splitChunk', () => {
  it('text and Enter that arrive together are text, then Enter; a paste with line breaks stays text', () => {
    expect(splitChunk('hello\r', {})).toEqual([
      ['hello', { return: false }],
      ['', { return: true }],
    ]);
    expect(splitChunk('one\rtwo\r', {})).toEqual([['one\rtwo\r', {}]]);
    expect(splitChunk('x', {})).toEqual([['x', {}]]);
  });

  it('Esc and a key that arrive together are Esc, then the key', () => {
    expect(splitChunk('t', { meta: true })).toEqual([
      ['', { escape: true }],
      ['t', { meta: false }],
    ]);
    expect(splitChunk('', { meta: true, return: true })).toEqual([['', { meta: true, return: true }]]);
  });
});
