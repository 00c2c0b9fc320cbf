/**
 * Calls `each` for every item, yielding the event loop whenever a run of calls has taken `budgetMs`: touching
 * thousands of sockets at once (telling them about a reload) must not hold up the chat traffic of
 * all of them for the time it takes. A budget in time, not in items: a socket write costs a few microseconds on a
 * fast machine and tens on a loaded one.
 *
 * The time must include the socket writes themselves, and a connection defers its writes to the end of the tick
 * (it corks the socket at its first frame and uncorks from `process.nextTick`, see Connection.sendRaw). So items
 * are handled a few at a time, and after each few the deferred writes are let run before the clock is read:
 * otherwise a slice of cheap corked sends ends within its budget and hands the event loop hundreds of writes.
 */
const STEP = 16;

export async function inSlices<T>(items: readonly T[], each: (item: T) => void, budgetMs = 1): Promise<void> {
  let sliceStarted = performance.now();
  for (let start = 0; start < items.length; start += STEP) {
    for (const item of items.slice(start, start + STEP)) each(item);
    await new Promise<void>((resolve) => process.nextTick(resolve)); // after the writes the sends deferred
    if (start + STEP < items.length && performance.now() - sliceStarted >= budgetMs) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      sliceStarted = performance.now();
    }
  }
}
