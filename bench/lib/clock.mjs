/**
 * One clock for every bench process: CLOCK_MONOTONIC (process.hrtime) is system-wide on Linux, so a time taken
 * in one process can be compared with a time taken in another (a visitor's send time with an agent's receipt).
 */
export const monoMs = () => Number(process.hrtime.bigint()) / 1e6;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves at monotonic time `at` (ms), or at once if it has passed. */
export const sleepUntil = (at) => sleep(Math.max(0, at - monoMs()));

/** Rejects with `message` after `ms`; the timer never keeps the process alive. */
export function withTimeout(promise, ms, message) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref?.();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs `task(i)` for i in [from, to) with at most `concurrency` at once; resolves with the errors (first 5) and count. */
export async function pool(from, to, concurrency, task) {
  let next = from;
  let failed = 0;
  const errors = [];
  const lane = async () => {
    while (next < to) {
      const i = next++;
      try {
        await task(i);
      } catch (err) {
        failed += 1;
        if (errors.length < 5) errors.push(String(err?.message ?? err));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, to - from)) }, lane));
  return { failed, errors };
}
