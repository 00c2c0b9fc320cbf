import { describe, expect, it } from 'vitest';
import { editKey, EMPTY, insert, type Editor } from '../../../src/tui/editor.js';

const typed = (text: string): Editor => insert(EMPTY, text);

describe('editor', () => {
  it('inserts at the cursor and moves by grapheme', () => {
    let e = typed('hllo');
    e = editKey(e, '', { home: true })!;
    e = editKey(e, '', { rightArrow: true })!;
    e = editKey(e, 'e', {})!;
    expect(e).toEqual({ text: 'hello', cursor: 2 });
    const emoji = typed('a👩‍💻b');
    const left = editKey(editKey(emoji, '', { leftArrow: true })!, '', { leftArrow: true })!;
    expect(left.cursor).toBe(1);
    expect(editKey(editKey(emoji, '', { leftArrow: true })!, '', { backspace: true })!.text).toBe('ab');
  });

  it('treats Backspace and Delete as erase backwards, Ctrl-D as erase forwards', () => {
    expect(editKey(typed('abc'), '', { delete: true })!.text).toBe('ab');
    expect(editKey(typed('abc'), '', { backspace: true })!.text).toBe('ab');
    const atStart = { text: 'abc', cursor: 0 };
    expect(editKey(atStart, 'd', { ctrl: true })!.text).toBe('bc');
  });

  it('knows the readline keys', () => {
    expect(editKey(typed('send the refund'), 'w', { ctrl: true })!.text).toBe('send the ');
    expect(editKey(typed('send the refund'), 'u', { ctrl: true })!.text).toBe('');
    expect(editKey({ text: 'abcdef', cursor: 3 }, 'k', { ctrl: true })!).toEqual({ text: 'abc', cursor: 3 });
    expect(editKey({ text: 'abc', cursor: 3 }, 'a', { ctrl: true })!.cursor).toBe(0);
    expect(editKey({ text: 'abc', cursor: 0 }, 'e', { ctrl: true })!.cursor).toBe(3);
  });

  it('leaves Enter, Tab, Esc and scrolling keys to the caller', () => {
    for (const key of [{ return: true }, { tab: true }, { escape: true }, { upArrow: true }, { pageDown: true }]) expect(editKey(typed('x'), '', key)).toBeUndefined();
  });

  it('keeps a paste’s line breaks as text and strips control sequences from it', () => {
    expect(editKey(EMPTY, 'one\rtwo\r\nthree', {})!.text).toBe('one\ntwo\nthree');
    expect(editKey(EMPTY, '\u001b[31mred\u0007', {})!.text).toBe('red');
  });
});
