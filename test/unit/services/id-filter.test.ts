import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IdFilter } from '../../../src/services/id-filter.js';

describe('IdFilter', () => {
  it('says "maybe" to every id until it is ready', () => {
    const filter = new IdFilter();
    expect(filter.mightContain('never-added')).toBe(true);
    filter.markReady();
    expect(filter.mightContain('never-added')).toBe(false);
  });

  it('never forgets an id, across its growth, and rules out about 99% of ids it never saw', () => {
    const filter = new IdFilter();
    filter.markReady();
    const added = Array.from({ length: 300_000 }, (_, i) => (i % 3 === 0 ? randomUUID() : `m${i.toString(36)}x${(i * 7919).toString(36)}`));
    for (const id of added) filter.add(id);
    expect(added.every((id) => filter.mightContain(id))).toBe(true);

    const unseen = Array.from({ length: 100_000 }, () => randomUUID());
    const falseMaybes = unseen.filter((id) => filter.mightContain(id)).length;
    // 300,000 ids fill three layers (65,536 + 131,072 + part of 262,144), each about 0.07% at its capacity.
    expect(falseMaybes / unseen.length).toBeLessThan(0.005);
  });
});
