/**
 * The fast parser (quick-parse.ts) must never disagree with the located one (document.ts): for every text it either
 * gives up, or yields exactly the data and interpolated paths parseSource() yields without issues. Checked over
 * every configuration file in the repository and a table of texts where YAML parsers are known to differ.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseSource } from '../../../src/config/document.js';
import { quickParse } from '../../../src/config/quick-parse.js';
import type { SourceText } from '../../../src/config/read.js';
import { mergeDocuments } from '../../../src/config/tree.js';
import { FIXTURE_ENV, FIXTURES, REPO_ROOT } from './helpers.js';

const ENV = { ...FIXTURE_ENV, X: 'ex', EMPTY: '' };

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

const source = (text: string, file = 'test.yaml'): SourceText => ({ path: `/${file}`, file, text });
const interpolated = (document: Parameters<typeof mergeDocuments>[0][number]) => mergeDocuments([document]).tree.interpolatedPaths();

/** Undefined from the fast parser, or the located parser's own answer. */
function expectAgreement(text: string, file?: string): 'fast' | 'located' {
  const fast = quickParse(source(text, file), ENV);
  if (fast === undefined) return 'located';
  const located = parseSource(source(text, file), ENV);
  expect(located.issues, `the fast parser accepted what the located one refuses:\n${text}`).toEqual([]);
  expect(fast.data).toStrictEqual(located.data);
  expect(interpolated(fast)).toEqual(interpolated(located));
  return 'fast';
}

describe('every configuration file in the repository', () => {
  const files = [...yamlFiles(FIXTURES), ...yamlFiles(join(REPO_ROOT, 'config'))];
  test.each(files.map((path) => [path.slice(REPO_ROOT.length + 1), path]))('%s', (_name, path) => {
    expectAgreement(readFileSync(path, 'utf8'), path);
  });

  test('the shipped demo takes the fast path', () => {
    expect(expectAgreement(readFileSync(join(REPO_ROOT, 'config/livechat.yaml'), 'utf8'))).toBe('fast');
  });
});

describe('texts where parsers differ', () => {
  const scalars = [
    '0b101', '-0x1F', '+0x1F', '0x1F', '0o17', '-0o17', '012', '1_000', '.5', '-.5', '+1', '1.', '1e3', '1E3', '-1.5e-3',
    '.inf', '-.Inf', '+.INF', '.NaN', '.nan', 'nan', '~', 'null', 'Null', 'NULL', 'nULL', 'true', 'True', 'TRUE', 'tRUE',
    'yes', 'no', 'on', 'off', 'y', "'true'", '"1"', '2001-12-14', '2001-12-14T21:59:43.10-05:00', '12:30', '1:20:30',
    '!!str 1', '!!int "3"', '!!binary aGk=', '!!float 1', '0.0', '00', '-0', '9007199254740993', "'it''s'", '"\\x41\\u00e9"',
    '"a\\tb"', '${X}', '$${X}', 'a${X}b', '${EMPTY:-d}', '${UNSET}', '${UNSET:-fallback}', '${', 'http://x/?a=1&b=2',
    'a: b', '"a: b"', '|\n    block\n    text', '>-\n    folded\n    text', 'plain\n    continued', '[a, b]', '{a: 1}', '[]', '{}',
  ];
  test.each(scalars)('value %j', (value) => {
    expectAgreement(`title: ${value}\n`);
  });

  const documents = [
    '', '# only a comment\n', '[]\n', '- a\n', 'a\n', '---\na: 1\n', 'a: 1\n---\nb: 2\n', '%YAML 1.1\n---\na: yes\n',
    'a: 1\na: 2\n', '1: a\n"1": b\n', '? a\n: 1\n', '{[a]: 1}\n', '{? a: 1}\n', 'a: &x {b: 1}\nc: *x\n', 'a: *x\n',
    'a: &x [*x]\n', '<<: {a: 1}\n', 'b: {<<: {a: 1}}\n', '__proto__: {polluted: 1}\n', 'a: {constructor: 1}\n',
    'a: {prototype: 1}\n', 'a:\n\tb: 1\n', 'a: !!set {x, y}\n', 'a: !custom 1\n', 'a: "unterminated\n', 'a: [1, 2\n',
    'a:\n  - b\n  - c: 1\n    d: 2\n', 'a: b # comment\nc: "d # not a comment"\n', 'a:\n', 'a: ~\nb:\n  c:\n',
    'key with spaces: 1\n', '"quoted key": 1\n', "'single': 2\n", 'a: 1 # ${UNSET}\n',
  ];
  test.each(documents)('document %j', (text) => {
    expectAgreement(text);
  });

  test('refused keys and special syntax go the located way', () => {
    for (const text of ['__proto__: {polluted: 1}\n', 'a: &x 1\nb: *x\n', '<<: {a: 1}\n', 'x: ${UNSET}\n', 'a: !!binary aGk=\n']) {
      expect(expectAgreement(text), text).toBe('located');
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
