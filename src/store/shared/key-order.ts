/**
 * The order LevelDB keeps keys in: bytewise over their UTF-8 encoding, which for well-formed strings is code point
 * order. JS `<` compares UTF-16 code units instead, and the two disagree once a character above U+FFFF meets one in
 * U+E000..U+FFFF: '\u{1F600}' is the units D83D DE00, so `<` puts it before '\uFFFD', while its UTF-8 bytes
 * (F0 ...) sort after those of U+FFFD (EF ...). Keys are checked to be well-formed (see validate.ts), so code point
 * order is exactly LevelDB's order.
 */
export function compareKeys(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return codePointRank(x) - codePointRank(y);
  }
  return a.length - b.length;
}

/**
 * Re-ranks a code unit so units compare like the code points they start: surrogates (D800..DFFF, the start of a
 * code point above U+FFFF) move above E000..FFFF, which move down to make room. Below D800 nothing changes. At the
 * first differing unit of two well-formed strings both units start a code point, so ranking them is enough.
 */
function codePointRank(unit: number): number {
  if (unit >= 0xe000) return unit - 0x800;
  if (unit >= 0xd800) return unit + 0x2000;
  return unit;
}
