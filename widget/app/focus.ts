/** Moves focus to the current screen's main control (marked `data-autofocus`), after the next render. */
export function focusMain(): void {
  requestAnimationFrame(() => document.querySelector<HTMLElement>('[data-autofocus]')?.focus());
}
