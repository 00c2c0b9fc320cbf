/**
 * A small line editor as pure functions: the reply line, the close comment and the transfer filter all use it.
 * The cursor moves by grapheme, so an emoji or an accented letter is one step, never half a character.
 */
import { cleanText } from './sanitize.js';

export interface Editor {
  text: string;
  /** Offset in UTF-16 code units, always on a grapheme boundary. */
  cursor: number;
}

/** The subset of Ink's `Key` the editor reads. */
export interface EditKey {
  leftArrow?: boolean;
  rightArrow?: boolean;
  home?: boolean;
  end?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  return?: boolean;
  tab?: boolean;
  escape?: boolean;
  upArrow?: boolean;
  downArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
}

export const EMPTY: Editor = { text: '', cursor: 0 };

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

function boundaries(text: string): number[] {
  const out = [0];
  for (const { index, segment } of segmenter.segment(text)) out.push(index + segment.length);
  return out;
}

const before = (e: Editor) => boundaries(e.text).filter((b) => b < e.cursor).pop() ?? 0;
const after = (e: Editor) => boundaries(e.text).find((b) => b > e.cursor) ?? e.text.length;

export function insert(e: Editor, typed: string): Editor {
  // What the agent types or pastes goes to a visitor's browser and to other consoles: no control sequences either.
  const text = cleanText(typed);
  return { text: e.text.slice(0, e.cursor) + text + e.text.slice(e.cursor), cursor: e.cursor + text.length };
}

export function backspace(e: Editor): Editor {
  const at = before(e);
  return { text: e.text.slice(0, at) + e.text.slice(e.cursor), cursor: at };
}

export function deleteForward(e: Editor): Editor {
  return { text: e.text.slice(0, e.cursor) + e.text.slice(after(e)), cursor: e.cursor };
}

export function deleteWordBefore(e: Editor): Editor {
  const head = e.text.slice(0, e.cursor).replace(/\S+\s*$|\s+$/, '');
  return { text: head + e.text.slice(e.cursor), cursor: head.length };
}

/**
 * Applies an editing key; undefined when the key is not one (the caller handles it: Enter, Tab, Esc, arrows up and
 * down, page keys). Backspace and Delete both erase backwards: most terminals send DEL for Backspace and Ink
 * reports it as `delete`; Ctrl-D erases forwards.
 */
export function editKey(e: Editor, input: string, key: EditKey): Editor | undefined {
  if (key.return || key.tab || key.escape || key.upArrow || key.downArrow || key.pageUp || key.pageDown) return undefined;
  if (key.leftArrow) return { ...e, cursor: before(e) };
  if (key.rightArrow) return { ...e, cursor: after(e) };
  if (key.home) return { ...e, cursor: 0 };
  if (key.end) return { ...e, cursor: e.text.length };
  if (key.backspace || key.delete) return key.meta ? deleteWordBefore(e) : backspace(e);
  if (key.ctrl) {
    switch (input) {
      case 'a':
        return { ...e, cursor: 0 };
      case 'e':
        return { ...e, cursor: e.text.length };
      case 'b':
        return { ...e, cursor: before(e) };
      case 'f':
        return { ...e, cursor: after(e) };
      case 'd':
        return deleteForward(e);
      case 'h':
        return backspace(e);
      case 'w':
        return deleteWordBefore(e);
      case 'u':
        return { text: e.text.slice(e.cursor), cursor: 0 };
      case 'k':
        return { text: e.text.slice(0, e.cursor), cursor: e.cursor };
      default:
        return undefined;
    }
  }
  if (key.meta || input === '') return undefined;
  // A paste arrives as one chunk; its line breaks are part of the text, not "send".
  return insert(e, input.replace(/\r\n?/g, '\n'));
}
