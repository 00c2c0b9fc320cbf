import { expect, it } from 'vitest';
import { randomId } from '../../../src/domain/random-id.js';

it('ids are 17 characters of the unambiguous alphabet by default, never contain "!", and do not repeat', () => {
  const ids = Array.from({ length: 2000 }, () => randomId());
  for (const id of ids) expect(id).toMatch(/^[23456789ABCDEFGHJKLMNPQRSTWXYZabcdefghijkmnopqrstuvwxyz]{17}$/);
  expect(new Set(ids).size).toBe(ids.length);
  expect(randomId(8)).toHaveLength(8);
});

it('every character of the alphabet is about equally likely (bytes that would favour the first ones are redrawn)', () => {
  const counts = new Map<string, number>();
  for (let i = 0; i < 2000; i++) for (const c of randomId(55)) counts.set(c, (counts.get(c) ?? 0) + 1);
  expect(counts.size).toBe(55);
  // 2,000 expected per character; a byte taken modulo 55 would give the first 36 characters 2,327 on average.
  for (const n of counts.values()) {
    expect(n).toBeGreaterThan(1750);
    expect(n).toBeLessThan(2250);
  }
});
