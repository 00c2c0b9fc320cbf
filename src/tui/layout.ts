/**
 * How the screen is divided, from its size and the state: the list on the left, the conversation (or the visitor
 * details) on the right, a visitor column when the terminal is wide, the input line and the footer below. Every
 * height is counted here so the pieces add up to the terminal and nothing scrolls the screen itself.
 */
import { draftOf, type ConsoleState } from './state.js';
import { wrap } from './wrap.js';

export interface Layout {
  columns: number;
  /** One row less than the terminal: Ink redraws a full-height screen by clearing it, which flickers over SSH. */
  height: number;
  banner: boolean;
  /** The list and visitor columns; the conversation plus the input box on the right add up to it too. */
  bodyHeight: number;
  conversationHeight: number;
  listWidth: number;
  mainWidth: number;
  /** 0 when the visitor column is not shown; the visitor pane may instead replace the conversation. */
  visitorWidth: number;
  visitorInPlace: boolean;
  /** Transcript lines inside the conversation box (title and typing line excluded). */
  transcriptHeight: number;
  textWidth: number;
  inputLines: number;
}

export const MIN_COLUMNS = 60;
export const MIN_ROWS = 16;
const WIDE = 120;
const MAX_INPUT_LINES = 4;

export const tooSmall = (columns: number, rows: number) => columns < MIN_COLUMNS || rows < MIN_ROWS;

export function computeLayout(state: ConsoleState, columns: number, rows: number): Layout {
  const height = Math.max(MIN_ROWS, rows) - 1;
  const width = Math.max(MIN_COLUMNS, columns);
  const banner = state.connection.state !== 'open';
  const listWidth = Math.min(36, Math.max(24, Math.round(width * 0.3)));
  const visitorWidth = state.showVisitor && width >= WIDE ? 36 : 0;
  const mainWidth = width - listWidth - visitorWidth;
  const textWidth = mainWidth - 4; // border and one column of padding each side
  const draft = draftOf(state, state.selected).text;
  const inputLines = Math.min(MAX_INPUT_LINES, Math.max(1, wrap(draft, textWidth).length));
  const bodyHeight = height - 1 /* header */ - (banner ? 1 : 0) - 1; /* footer */
  const conversationHeight = bodyHeight - (inputLines + 2); /* input box */
  return {
    columns: width,
    height,
    banner,
    bodyHeight,
    conversationHeight,
    listWidth,
    mainWidth,
    visitorWidth,
    visitorInPlace: state.showVisitor && visitorWidth === 0,
    transcriptHeight: Math.max(1, conversationHeight - 4), // border (2), title, typing line
    textWidth,
    inputLines,
  };
}
