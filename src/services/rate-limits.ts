/**
 * The rate limits of `livechat.limits`, for services and transports alike: each is a fixed window of at most
 * `max` events per `perSeconds`, counted per key (a client IP, a visitor token, a username, a connection).
 *
 * Limits follow the active configuration: a reload that changes one starts it afresh with empty counts; `max: 0`
 * switches it off. Counts live in memory — a restart forgives everyone, which is acceptable for abuse control.
 * Keys may be secrets (visitor tokens); they are never logged or put into an error.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { ConfigSnapshot } from '../config/index.js';
import { AppError } from '../domain/errors.js';

type Limits = ConfigSnapshot['livechat']['limits'];
export type RateLimitName = keyof Limits;

interface Active {
  max: number;
  perSeconds: number;
  limiter: RateLimiterMemory;
}

export class RateLimits {
  readonly #active = new Map<RateLimitName, Active>();

  constructor(private readonly config: () => ConfigSnapshot) {}

  /** Counts one event for `key`; throws `error-too-many-requests` once the window's budget is spent. */
  async take(name: RateLimitName, key: string): Promise<void> {
    const active = this.#limiter(name);
    if (!active) return;
    try {
      await active.limiter.consume(key);
    } catch (res) {
      if (res instanceof RateLimiterRes) throw tooManyRequests(res.msBeforeNext);
      throw res;
    }
  }

  /** Throws like `take` when the budget is already spent, without counting: for limits counted on failure only. */
  async check(name: RateLimitName, key: string): Promise<void> {
    const active = this.#limiter(name);
    const res = active && (await active.limiter.get(key));
    if (active && res && res.consumedPoints >= active.max) throw tooManyRequests(res.msBeforeNext);
  }

  /** Counts one event without failing (see `check`). */
  async count(name: RateLimitName, key: string): Promise<void> {
    await this.#limiter(name)?.limiter.penalty(key, 1);
  }

  #limiter(name: RateLimitName): Active | undefined {
    const { max, perSeconds } = this.config().livechat.limits[name];
    if (max === 0) return undefined;
    const current = this.#active.get(name);
    if (current && current.max === max && current.perSeconds === perSeconds) return current;
    const next = { max, perSeconds, limiter: new RateLimiterMemory({ keyPrefix: name, points: max, duration: perSeconds }) };
    this.#active.set(name, next);
    return next;
  }
}

/** Rocket.Chat's wording for its rate limiter, so clients that show `error` say something useful. */
function tooManyRequests(msBeforeNext: number): AppError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new AppError(
    'error-too-many-requests',
    `Error, too many requests. Please slow down. You must wait ${seconds} seconds before trying this endpoint again.`,
    { retryAfterSeconds: seconds },
  );
}
