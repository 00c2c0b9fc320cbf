/**
 * Failed-login limits per username and per client IP, so a password cannot be guessed quickly from one address
 * or spread across many. Successful logins do not count.
 */
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../domain/errors.js';

const WINDOW_SECONDS = 15 * 60;
const PER_USERNAME = 10;
const PER_IP = 30;

export class LoginLimiter {
  readonly #byUser = new RateLimiterMemory({ keyPrefix: 'user', points: PER_USERNAME, duration: WINDOW_SECONDS });
  readonly #byIp = new RateLimiterMemory({ keyPrefix: 'ip', points: PER_IP, duration: WINDOW_SECONDS });

  /** Throws `rate-limited` when either budget is spent. */
  async check(username: string, ip: string): Promise<void> {
    const [user, addr] = await Promise.all([this.#byUser.get(username), this.#byIp.get(ip)]);
    const spent = [
      user && user.consumedPoints >= PER_USERNAME ? user : undefined,
      addr && addr.consumedPoints >= PER_IP ? addr : undefined,
    ].filter((r): r is RateLimiterRes => r !== undefined);
    if (spent.length === 0) return;
    const retryAfterSeconds = Math.ceil(Math.max(...spent.map((r) => r.msBeforeNext)) / 1000);
    throw new AppError('rate-limited', 'Too many failed login attempts; try again later', { retryAfterSeconds });
  }

  async failed(username: string, ip: string): Promise<void> {
    await Promise.all([this.#byUser.penalty(username, 1), this.#byIp.penalty(ip, 1)]);
  }
}
