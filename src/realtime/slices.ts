/**
 * Calls `each` for every item, yielding the event loop whenever a run of calls has taken `budgetMs`: touching
 * thousands of sockets at once (telling them about a reload, pinging them) must not hold up the chat traffic of
 * all of them for the time it takes. A budget in time, not in items: a socket write costs a few microseconds on a
 * fast machine and tens on a loaded one, and a slice of a fixed count held the loop for 10 ms there.
 */
export async function inSlices<T>(items: readonly T[], each: (item: T) => void, budgetMs = 1): Promise<void> {
  let sliceStarted = performance.now();
  for (const item of items) {
    if (performance.now() - sliceStarted >= budgetMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStarted = performance.now();
    }
    each(item);
  }
}
