import { describe, expect, it } from 'vitest';
import { inSlices } from '../../../src/realtime/slices.js';

/** Holds the thread for `ms`, as a slow socket write would. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

/** Runs `work` while another callback takes every turn of the event loop it can; says how often it got one. */
async function turnsTakenDuring(work: () => Promise<void>): Promise<number> {
  let turns = 0;
  let done = false;
  const other = () => {
    if (done) return;
    turns += 1;
    setImmediate(other);
  };
  setImmediate(other);
  await work();
  done = true;
  return turns;
}

describe('inSlices', () => {
  it('runs cheap work to the end without giving up its turn', async () => {
    const seen: number[] = [];
    const items = Array.from({ length: 100 }, (_, i) => i);
    expect(await turnsTakenDuring(() => inSlices(items, (n) => seen.push(n), 50))).toBe(0);
    expect(seen).toEqual(items);
  });

  it('lets other callbacks run between slices of slow work, and calls each item once, in order', async () => {
    const seen: number[] = [];
    const items = Array.from({ length: 40 }, (_, i) => i);
    const turns = await turnsTakenDuring(() =>
      inSlices(items, (n) => {
        busy(0.2);
        seen.push(n);
      }, 1),
    );
    expect(seen).toEqual(items);
    expect(turns).toBeGreaterThan(1);
  });

  it('counts the work an item defers to the end of the tick (a corked socket write)', async () => {
    let written = 0;
    const items = Array.from({ length: 64 }, (_, i) => i);
    const turns = await turnsTakenDuring(() =>
      inSlices(items, () =>
        process.nextTick(() => {
          busy(0.2);
          written += 1;
        }),
      1),
    );
    expect(written).toBe(items.length);
    expect(turns).toBeGreaterThan(1); // 64 deferred writes of 0.2 ms did not all land in one turn
  });

  it('does nothing for no items', async () => {
    await expect(inSlices([], () => expect.fail('called'))).resolves.toBeUndefined();
  });
});
