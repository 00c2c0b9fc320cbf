/** A person's initials on a colour derived from their name: no image request, nothing to escape. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = (word: string | undefined): string => (word ? [...word][0]! : '');
  const letters = first(words[0]) + (words.length > 1 ? first(words[words.length - 1]) : '');
  return letters.toUpperCase() || '?';
}

function hue(name: string): number {
  let h = 0;
  for (const ch of name) h = (h * 31 + ch.charCodeAt(0)) % 360;
  return h;
}

export function Avatar({ name, small }: { name: string; small?: boolean }) {
  return (
    <span class={small ? 'av sm' : 'av'} style={{ background: `hsl(${hue(name)} 45% 38%)` }} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
