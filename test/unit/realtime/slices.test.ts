import { describe, expect, it } from 'vitest';
import { inSlices } from '../../../src/realtime/slices.js';

/** Holds the thread for `ms`, as a slow socket write would. */
function busy(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('inSlices', () => {
  it('runs cheap work to the end in the same turn', () => {
    const seen: number[] = [];
    void inSlices([1, 2, 3], (n) => seen.push(n));
    expect(seen).toEqual([1, 2, 3]);
  });

  it('lets other callbacks run between slices of slow work, and calls each item once, in order', async () => {
    const seen: number[] = [];
    const interleaved: number[] = [];
    const items = Array.from({ length: 12 }, (_, i) => i);
    const otherWork = () => {
      interleaved.push(seen.length);
      if (seen.length < items.length) setImmediate(otherWork);
    };
    setImmediate(otherWork);
    await inSlices(items, (n) => {
      busy(0.5);
      seen.push(n);
    }, 1);
    expect(seen).toEqual(items);
    // Another callback ran while items were still pending, more than once: no slice held the loop to the end.
    expect(interleaved.filter((done) => done > 0 && done < items.length).length).toBeGreaterThan(1);
  });

  it('does nothing for no items', async () => {
    await expect(inSlices([], () => expect.fail('called'))).resolves.toBeUndefined();
  });
});
