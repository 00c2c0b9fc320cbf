/** Readable text colour on a background colour: dark on light, white on dark (and on anything unparsable). */
export function contrast(color: string): string {
  const m = /^#?([\da-f]{3}|[\da-f]{6})$/i.exec(color.trim());
  if (!m) return '#fff';
  const hex = m[1]!.length === 3 ? m[1]!.replace(/./g, '$&$&') : m[1]!;
  const n = parseInt(hex, 16);
  const luma = ((n >> 16) * 299 + ((n >> 8) & 255) * 587 + (n & 255) * 114) / 1000;
  return luma > 160 ? '#111' : '#fff';
}
