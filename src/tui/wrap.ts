/**
 * Word wrapping by display width (wide CJK characters and emoji take two cells), so the conversation pane knows
 * exactly how many lines a message takes and can scroll by line. Text here is already sanitized: no escapes.
 */
import stringWidth from 'string-width';

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Splits one paragraph (no newlines) into lines of at most `width` cells; words longer than a line are cut. */
function wrapParagraph(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  let used = 0;
  for (const word of text.split(/(\s+)/)) {
    if (word === '') continue;
    const w = stringWidth(word);
    if (used + w <= width) {
      line += word;
      used += w;
      continue;
    }
    if (/^\s+$/.test(word)) {
      // A space at a break is dropped rather than starting the next line.
      lines.push(line);
      line = '';
      used = 0;
      continue;
    }
    if (w <= width) {
      if (line !== '') lines.push(line.trimEnd());
      line = word;
      used = w;
      continue;
    }
    for (const { segment } of segmenter.segment(word)) {
      const cw = stringWidth(segment);
      if (used + cw > width && line !== '') {
        lines.push(line);
        line = '';
        used = 0;
      }
      line += segment;
      used += cw;
    }
  }
  lines.push(line);
  return lines;
}

export function wrap(text: string, width: number): string[] {
  const w = Math.max(1, width);
  return text.split('\n').flatMap((paragraph) => wrapParagraph(paragraph, w));
}

/** Cuts a line to `width` cells, ending with `…` when something was cut. */
export function truncate(text: string, width: number): string {
  if (width <= 0) return '';
  if (stringWidth(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const { segment } of segmenter.segment(text)) {
    const cw = stringWidth(segment);
    if (used + cw > width - 1) break;
    out += segment;
    used += cw;
  }
  return `${out}…`;
}

/** Pads (or cuts) to exactly `width` cells. */
export function fit(text: string, width: number): string {
  const cut = truncate(text, width);
  return cut + ' '.repeat(Math.max(0, width - stringWidth(cut)));
}

export { stringWidth };
