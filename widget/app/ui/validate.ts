/** Form checks shared by the registration and offline forms, with messages in the visitor's language. */
import type { Translate } from '../state';

export const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface Rule {
  name: string;
  required?: boolean;
  email?: boolean;
  pattern?: string;
}

/** The error of each field that fails its rule (values are trimmed first). */
export function check(values: Record<string, string>, rules: Rule[], t: Translate): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const rule of rules) {
    const value = (values[rule.name] ?? '').trim();
    if (!value) {
      if (rule.required) errors[rule.name] = t('required');
    } else if (rule.email && !EMAIL.test(value)) errors[rule.name] = t('invalidEmail');
    else if (rule.pattern && !matches(rule.pattern, value)) errors[rule.name] = t('invalidValue');
  }
  return errors;
}

function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern).test(value);
  } catch {
    return true; // the server checks with its own engine
  }
}

/** Moves focus to the first field with an error, so keyboard and screen-reader users land on it. */
export function focusFirstError(form: HTMLFormElement | null): void {
  requestAnimationFrame(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}
