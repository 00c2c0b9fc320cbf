/**
 * The JSON text of a value that never changes once built, serialised once and remembered. A chat message is
 * written to the store and sent to every socket of its room; with its text remembered, the store's write and every
 * frame that carries the message embed the same string instead of serialising the message again each time.
 *
 * Invariant: only values nobody modifies afterwards are passed here (a message is replaced, never changed: an edit
 * builds a new object). The text is keyed weakly, so it goes when the value does.
 */
const texts = new WeakMap<object, string>();

export function jsonText(value: object): string {
  let text = texts.get(value);
  if (text === undefined) {
    text = JSON.stringify(value);
    texts.set(value, text);
  }
  return text;
}

/** The remembered text of `value`, if `jsonText` made it. */
export function rememberedJson(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null ? texts.get(value) : undefined;
}
