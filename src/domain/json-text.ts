/**
 * The JSON text of a value that never changes once built, serialised once and remembered. A chat message is
 * written to the store and sent to every socket of its room; with its text remembered, the store's write and every
 * frame that carries the message embed the same string instead of serialising the message again each time.
 *
 * Invariant: only values nobody modifies afterwards are passed here (a message is replaced, never changed: an edit
 * builds a new object).
 *
 * The text is kept on the value itself, under a symbol and not enumerable: spreads, Object.keys, JSON and structured
 * clones do not see it, so an edited copy (`{ ...message, msg }`) never carries the original's text, and the text
 * goes when the value does. Not in a WeakMap: a weak table every message passes through grows to the most messages
 * ever in flight at once and keeps that size, and each full collection walks it as ephemerons in its pause
 * (3.5–7 ms measured after a burst of chat traffic, on a pause of 24–36 ms).
 */
const TEXT = Symbol('jsonText');

export function jsonText(value: object): string {
  let text = recall(value, TEXT);
  if (text === undefined) {
    text = JSON.stringify(value);
    remember(value, TEXT, text);
  }
  return text;
}

/** The remembered text of `value`, if `jsonText` made it. */
export function rememberedJson(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? recall(value, TEXT) : undefined;
}

/**
 * Attaches `text` to `value` under `key`, hidden as above, once: a value that has one keeps it, and one that cannot
 * take it (frozen) stays as it is.
 */
export function remember(value: object, key: symbol, text: string): void {
  if (Object.isExtensible(value) && !Object.hasOwn(value, key)) Object.defineProperty(value, key, { value: text });
}

/** What `remember` attached to `value` itself under `key` (not to an object it inherits from). */
export function recall(value: object, key: symbol): string | undefined {
  return Object.hasOwn(value, key) ? (value as Record<symbol, string>)[key] : undefined;
}
