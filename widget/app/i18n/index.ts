/**
 * Texts in the visitor's language. Precedence: `setLanguage()` from the host page, then the browser's languages,
 * then the configured `appearance.language`, then English. Placeholders are `{name}`; values are inserted as
 * plain text (the UI renders strings as text nodes, never as HTML).
 */
import { de } from './de';
import { en, type Texts } from './en';

const LANGUAGES: Record<string, Texts> = { en, de };

export type TextKey = keyof Texts;

export function pickLanguage(candidates: readonly (string | undefined)[]): string {
  for (const tag of candidates) {
    const base = (tag ?? '').toLowerCase().split('-')[0]!;
    if (LANGUAGES[base]) return base;
  }
  return 'en';
}

export function translate(lang: string, key: TextKey, vars: Record<string, string | number> = {}): string {
  const text = (LANGUAGES[lang] ?? en)[key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}
