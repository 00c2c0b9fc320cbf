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
  // Two parallel stacks rather than one of [node, depth] pairs: every frame and body goes through here.
  const nodes: object[] = [value as object];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (depth >= max) return true;
    for (const key in node) {
      const child = (node as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) {
        nodes.push(child);
        depths.push(depth + 1);
      }
    }
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
  return hasBadText(value) ? describeBadText(value, subject) : undefined;
}

/** The walk every input takes: no paths are built until there is something to report. */
function hasBadText(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'string') {
      if (textProblem(node)) return true;
    } else if (typeof node === 'object' && node !== null) {
      for (const key in node) {
        if (textProblem(key)) return true;
        stack.push((node as Record<string, unknown>)[key]);
      }
    }
  }
  return false;
}

function describeBadText(value: unknown, subject: string): string | undefined {
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
