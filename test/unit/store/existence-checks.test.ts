import { describe, expect, it } from 'vitest';
import { ExistenceChecks } from '../../../src/store/level/existence-checks.js';

describe('ExistenceChecks', () => {
  it('answers the checks of one turn with one read, each with its own answer', async () => {
    const reads: string[][] = [];
    const present = new Set(['b']);
    const checks = new ExistenceChecks(async (keys) => {
      reads.push([...keys]);
      return keys.map((k) => present.has(k));
    });
    const first = await Promise.all([checks.has('a'), checks.has('b'), checks.has('a')]);
    expect(first).toEqual([false, true, false]);
    expect(reads).toEqual([['a', 'b', 'a']]);

    present.add('a');
    expect(await checks.has('a')).toBe(true); // a later turn reads again, and sees what changed meanwhile
    expect(reads).toHaveLength(2);
  });

  it('fails every check of a turn whose read fails, and reads again next turn', async () => {
    let fail = true;
    const checks = new ExistenceChecks(async (keys) => {
      if (fail) throw new Error('io');
      return keys.map(() => true);
    });
    const failed = await Promise.allSettled([checks.has('a'), checks.has('b')]);
    expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    expect(await checks.has('a')).toBe(true);
  });
});
