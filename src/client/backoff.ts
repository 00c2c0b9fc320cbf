/**
 * Reconnect delays: exponential with full jitter between half and all of the step, capped. Jitter spreads a crowd
 * of clients that lost the server at the same moment, so they do not all come back in the same millisecond.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 250, maxMs: 15_000 };

export function backoffDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const step = Math.min(options.maxMs, options.baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(step / 2 + (random() * step) / 2);
}
