/**
 * The visitor's typing notifications: `true` when they start and again at most every 4 s while they keep typing,
 * `false` after 5 s without a keystroke, on send, and when the panel closes. Best effort: dropped while offline.
 */
const REPEAT_MS = 4000;
const IDLE_MS = 5000;

export class TypingNotifier {
  #since = 0;
  #idle: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly notify: (typing: boolean) => void) {}

  /** A keystroke. */
  input(): void {
    if (Date.now() - this.#since > REPEAT_MS) {
      this.#since = Date.now();
      this.notify(true);
    }
    clearTimeout(this.#idle);
    this.#idle = setTimeout(() => this.stop(), IDLE_MS);
  }

  stop(): void {
    clearTimeout(this.#idle);
    if (!this.#since) return;
    this.#since = 0;
    this.notify(false);
  }
}
