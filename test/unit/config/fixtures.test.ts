/**
 * Every fixture in test/fixtures/config: `*.good.yaml` files and `*.good/` directories load; each `*.bad.yaml` /
 * `*.bad/` produces exactly the lines of its sibling `*.bad.expected` (paths there are relative to the repository
 * root, which is the working directory of the test run).
 *
 * After an intended change of messages, `UPDATE_CONFIG_FIXTURES=1 npx vitest run test/unit/config/fixtures.test.ts`
 * rewrites the expected files; review the diff before committing it.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatIssue, loadConfig } from '../../../src/config/index.js';
import { FIXTURE_ENV, FIXTURE_SECRET, FIXTURES, REPO_ROOT } from './helpers.js';

const entries = readdirSync(FIXTURES).sort();
const good = entries.filter((name) => /\.good(\.ya?ml)?$/.test(name));
const bad = entries.filter((name) => /\.bad(\.ya?ml)?$/.test(name));
const expectedFile = (name: string) => join(FIXTURES, `${name.replace(/\.ya?ml$/, '')}.expected`);

test('runs from the repository root, so expected paths match', () => {
  expect(process.cwd()).toBe(REPO_ROOT);
});

test('there are enough fixtures, and every bad one has its expected output', () => {
  expect(bad.length).toBeGreaterThanOrEqual(28);
  expect(good.length).toBeGreaterThanOrEqual(5);
  const expected = entries.filter((name) => name.endsWith('.expected'));
  expect(expected.map((name) => name.replace(/\.expected$/, '')).sort()).toEqual(
    bad.map((name) => name.replace(/\.ya?ml$/, '')).sort(),
  );
});

describe('good fixtures load', () => {
  test.each(good)('%s', async (name) => {
    const result = await loadConfig(join(FIXTURES, name), { env: FIXTURE_ENV });
    expect(result.ok ? [] : result.errors.map(formatIssue)).toEqual([]);
  });
});

describe('bad fixtures report exactly their expected lines', () => {
  test.each(bad)('%s', async (name) => {
    const result = await loadConfig(join(FIXTURES, name), { env: FIXTURE_ENV });
    expect(result.ok).toBe(false);
    const lines = result.ok ? [] : result.errors.map(formatIssue);
    if (process.env.UPDATE_CONFIG_FIXTURES) writeFileSync(expectedFile(name), `${lines.join('\n')}\n`);
    expect(lines).toEqual(readFileSync(expectedFile(name), 'utf8').trimEnd().split('\n'));
    // The secret set in FIXTURE_ENV is used by several fixtures and must never be printed.
    for (const line of lines) expect(line).not.toContain(FIXTURE_SECRET);
  });
});
