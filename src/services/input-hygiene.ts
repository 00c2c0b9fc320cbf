/**
 * Checks that every client input passes, whatever its channel (HTTP bodies and queries, WebSocket frames), after
 * parsing and before anything acts on it: nesting is bounded, and no string — key or value — holds a NUL or a lone
 * UTF-16 surrogate. Neither is text: NUL truncates C strings and confuses logs and terminals, a lone surrogate
 * cannot be encoded as UTF-8 (it would be stored as U+FFFD or break the reader). Both walks are iterative, so a
 * 10⁵-deep document costs no stack. Answers name where, never the value: it may be a token.
 */

/** Deeper than any body or frame of ours (the deepest is 4). */
export const MAX_DEPTH = 32;

/** Whether `value` nests objects or arrays more than `max` levels deep. */
export function tooDeep(value: unknown, max = MAX_DEPTH): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth >= max) return true;
    for (const child of Object.values(node as object)) if (typeof child === 'object' && child !== null) stack.push([child, depth + 1]);
  }
  return false;
}

// String.prototype.isWellFormed is ES2024; the lib here is ES2023.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why `text` is not acceptable text, or undefined. */
export function textProblem(text: string): string | undefined {
  if (text.includes('\0')) return 'must not contain NUL characters';
  if (LONE_SURROGATE.test(text)) return 'must not contain unpaired UTF-16 surrogates';
  return undefined;
}

/**
 * The first string in `value` that is not text, as "<path> <problem>" (`msg must not contain NUL characters`,
 * `customFields[0] has a key that must not …`), or undefined. `subject` names the whole value.
 */
export function badText(value: unknown, subject: string): string | undefined {
  const stack: [unknown, string][] = [[value, '']];
  while (stack.length > 0) {
    const [node, path] = stack.pop()!;
    if (typeof node === 'string') {
      const problem = textProblem(node);
      if (problem) return `${path || subject} ${problem}`;
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) {
        const problem = textProblem(key);
        if (problem) return `${path || subject} has a key that ${problem}`;
        const at = Array.isArray(node) ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`;
        stack.push([child, at.slice(0, 256)]);
      }
    }
  }
  return undefined;
}
