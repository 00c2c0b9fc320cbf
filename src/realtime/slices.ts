/**
 * Calls `each` for every item, a slice per event-loop turn: touching thousands of sockets at once (telling them
 * about a reload, pinging them) must not hold up the chat traffic of all of them for the time it takes.
 */
export async function inSlices<T>(items: readonly T[], each: (item: T) => void, size = 256): Promise<void> {
  for (let start = 0; start < items.length; start += size) {
    if (start > 0) await new Promise<void>((resolve) => setImmediate(resolve));
    for (const item of items.slice(start, start + size)) each(item);
  }
}
