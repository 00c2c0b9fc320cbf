/**
 * The group commit queue the level driver writes through, with a writer the test completes by hand: it shows
 * which ops each write carried and when writes start relative to each other.
 */
import { describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../src/store/level/group-commit.js';

interface Write {
  ops: string[];
  finish(): void;
  fail(error: Error): void;
}

function manualWriter() {
  const writes: Write[] = [];
  let onWrite = (): void => {};
  const queue = new GroupCommit<string>(
    (ops) =>
      new Promise<void>((finish, fail) => {
        writes.push({ ops: [...ops], finish, fail });
        onWrite();
      }),
  );
  /** Resolves once `count` writes have started. */
  const started = (count: number): Promise<void> =>
    new Promise((resolve) => {
      onWrite = () => writes.length >= count && resolve();
      onWrite();
    });
  return { queue, writes, started };
}

/** One full turn of the event loop, past the check phase where a group is flushed. */
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('group commit', () => {
  it('writes everything submitted in one tick as one write, and settles every caller with it', async () => {
    const { queue, writes, started } = manualWriter();
    const settled: string[] = [];
    const a = queue.submit(['a1', 'a2']).then(() => settled.push('a'));
    await Promise.resolve(); // a microtask later is still the same tick
    const b = queue.submit(['b']).then(() => settled.push('b'));

    await started(1);
    expect(writes.map((w) => w.ops)).toEqual([['a1', 'a2', 'b']]);
    expect(settled).toEqual([]);
    writes[0]?.finish();
    await Promise.all([a, b]);
    expect(settled).toEqual(['a', 'b']);
  });

  it('runs one write at a time, in order, merging what arrives meanwhile into the next one', async () => {
    const { queue, writes, started } = manualWriter();
    const first = queue.submit(['a']);
    await started(1);
    const second = queue.submit(['b']);
    await nextTurn();
    const third = queue.submit(['c']); // a later tick, but the previous write is still running

    await nextTurn();
    expect(writes).toHaveLength(1);
    writes[0]?.finish();
    await first;
    await started(2);
    expect(writes.map((w) => w.ops)).toEqual([['a'], ['b', 'c']]);
    writes[1]?.finish();
    await Promise.all([second, third]);
  });

  it('rejects every caller of a failed write, and carries on with the next', async () => {
    const { queue, writes, started } = manualWriter();
    const failed = [queue.submit(['a']), queue.submit(['b'])];
    await started(1);
    const next = queue.submit(['c']);
    writes[0]?.fail(new Error('disk full'));
    for (const result of await Promise.allSettled(failed)) expect(result).toMatchObject({ status: 'rejected' });

    await started(2);
    writes[1]?.finish();
    await expect(next).resolves.toBeUndefined();
  });

  it('drains only once the open group has been written', async () => {
    const { queue, writes, started } = manualWriter();
    let drained = false;
    void queue.submit(['a']);
    const draining = queue.drain().then(() => (drained = true));

    await started(1);
    expect(drained).toBe(false);
    writes[0]?.finish();
    await draining;
    expect(drained).toBe(true);
  });
});
