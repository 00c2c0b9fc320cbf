/**
 * Terminal-safe text. Everything a visitor can write (names, messages, custom fields, page titles) passes through
 * here before the console draws it, so a message cannot move the cursor, clear the screen, set the window title,
 * write to the clipboard or smuggle a hyperlink.
 *
 * Removed: escape sequences in their 7-bit (ESC …) and 8-bit (C1) forms — CSI, OSC, DCS, SOS, PM, APC, and the
 * two- and three-byte ESC sequences (RIS, charset switches, …) — then every remaining C0/C1 control and DEL, and
 * the Unicode bidi overrides that make text display in a different order than it reads. String sequences with
 * no terminator swallow the rest of the text: a terminal would have done the same. `strip-ansi` is not enough
 * here: it leaves lone C1 controls and unterminated OSC/DCS strings behind.
 */

// ESC [ or 8-bit CSI: parameter bytes, intermediate bytes, one final byte.
const CSI = '(?:\\u001b\\[|\\u009b)[\\u0030-\\u003f]*[\\u0020-\\u002f]*[\\u0040-\\u007e]?';
// OSC, DCS, SOS, PM, APC: a string up to ST (ESC \ or 8-bit ST) or BEL, or to the end when unterminated.
const STRING = '(?:\\u001b[\\]PX^_]|[\\u0090\\u0098\\u009d\\u009e\\u009f])[\\s\\S]*?(?:\\u0007|\\u001b\\\\|\\u009c|$)';
// Any other escape: ESC, intermediate bytes, one final byte (ESC c, ESC 7, ESC ( B, ESC # 8 …).
const OTHER_ESC = '\\u001b[\\u0020-\\u002f]*[\\u0030-\\u007e]?';

const SEQUENCES = new RegExp(`${STRING}|${CSI}|${OTHER_ESC}`, 'g');
// C0 controls except tab and newline, DEL, C1 controls; bidi embeddings, overrides and isolates.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Multi-line text (messages): newlines kept (CR LF and lone CR become LF, U+2028/9 too), tabs become spaces. */
export function cleanText(text: string): string {
  return String(text)
    .replace(SEQUENCES, '')
    .replace(/\r\n?|[\u2028\u2029]/g, '\n')
    .replace(/\t/g, '  ')
    .replace(CONTROLS, '');
}

/** One line (names, field values, titles): every line break becomes a space, runs of spaces collapse. */
export function cleanLine(text: string | undefined | null): string {
  if (text === undefined || text === null) return '';
  return cleanText(text)
    .replace(/\n+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
}
