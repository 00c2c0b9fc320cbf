/**
 * Reading a file or a directory: which files are read and in what order, merging by top-level key, and I/O
 * problems reported as issues rather than thrown.
 */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, test } from 'vitest';
import { formatIssue, loadConfig } from '../../../src/config/index.js';
import { displayFile } from '../../../src/config/issues.js';
import { HASH, tempTree } from './helpers.js';

const agents = `agents:\n  - {username: alice, name: Alice, passwordHash: "${HASH}"}\n`;

async function errorsOf(path: string): Promise<string[]> {
  const result = await loadConfig(path, { env: {} });
  return result.ok ? [] : result.errors.map(formatIssue);
}

test('a directory: *.yaml and *.yml in name order, merged by top-level key; sources are absolute', async () => {
  const dir = tempTree({
    '30-departments.yml': 'departments:\n  - {id: sales, name: Sales, agents: [alice]}\n',
    '10-server.yaml': 'server:\n  listen: 127.0.0.1:0\n',
    '20-agents.YAML': agents,
  });
  const result = await loadConfig(dir, { env: {} });
  if (!result.ok) throw new Error(result.errors.map(formatIssue).join('\n'));
  expect(result.config.sources).toEqual(
    ['10-server.yaml', '20-agents.YAML', '30-departments.yml'].map((n) => join(dir, n)),
  );
  expect(result.config.listen.port).toBe(0);
  expect(result.config.departmentsOfAgent.alice).toEqual(['sales']);
});

test('dot-files, other extensions and subdirectories are not read', async () => {
  const dir = tempTree({
    'livechat.yaml': 'livechat:\n  routing: manual\n',
    '.hidden.yaml': 'livechat: [',
    'notes.txt': 'livechat: [',
    'livechat.yaml.bak': 'livechat: [',
    'nested/more.yaml': 'livechat: [',
  });
  const result = await loadConfig(dir, { env: {} });
  expect(result.ok && result.config.sources).toEqual([join(dir, 'livechat.yaml')]);
});

test('a Kubernetes ConfigMap mount (files are symlinks into ..data/) reads like a plain directory', async () => {
  const dir = tempTree({ '..2024_01_01/livechat.yaml': 'livechat:\n  routing: manual\n' });
  symlinkSync('..2024_01_01', join(dir, '..data'));
  symlinkSync('..data/livechat.yaml', join(dir, 'livechat.yaml'));
  const result = await loadConfig(dir, { env: {} });
  expect(result.ok && result.config.livechat.routing).toBe('manual');
  expect(result.ok && result.config.sources).toEqual([join(dir, 'livechat.yaml')]);
});

test('the same top-level key in two files is an issue at each later file, naming the first', async () => {
  const dir = tempTree({ 'a.yaml': agents, 'b.yaml': `\n${agents}`, 'c.yaml': `livechat: {}\n\n\n${agents}` });
  const first = `${displayFile(join(dir, 'a.yaml'))}:1`;
  expect(await errorsOf(dir)).toEqual([
    `${displayFile(join(dir, 'b.yaml'))}:2:1  agents: also defined in ${first}; a top-level key may appear in one file only`,
    `${displayFile(join(dir, 'c.yaml'))}:4:1  agents: also defined in ${first}; a top-level key may appear in one file only`,
  ]);
});

test('issues from several files come sorted by file, then line', async () => {
  const dir = tempTree({
    '1.yaml': 'livechat:\n  routing: x\n  enabled: 1\n',
    '2.yaml': 'appearance:\n  colour: red\n',
  });
  const lines = await errorsOf(dir);
  expect(lines.map((line) => line.replace(/^.*\/(\d\.yaml:\d+:\d+).*$/, '$1'))).toEqual([
    '1.yaml:2:12',
    '1.yaml:3:12',
    '2.yaml:2:3',
  ]);
});

test('an empty file is an empty configuration; an empty directory is an issue', async () => {
  const dir = tempTree({ 'empty/.keep': '', 'blank.yaml': '' });
  expect(await errorsOf(join(dir, 'blank.yaml'))).toEqual([]);
  expect(await errorsOf(join(dir, 'empty'))).toEqual([
    `${displayFile(join(dir, 'empty'))}:1:1  (file): no *.yaml or *.yml files in this directory`,
  ]);
});

test('a missing path is one issue, not an exception', async () => {
  const dir = tempTree({});
  expect(await errorsOf(join(dir, 'nope.yaml'))).toEqual([
    `${displayFile(join(dir, 'nope.yaml'))}:1:1  (file): cannot read: no such file or directory`,
  ]);
});

test('an unreadable file in a directory is named', async () => {
  const dir = tempTree({ 'a.yaml': 'livechat: {}\n' });
  mkdirSync(join(dir, 'b.yaml')); // a directory with a YAML name is skipped, not read
  writeFileSync(join(dir, 'c.yaml'), 'appearance: {}\n');
  symlinkSync(join(dir, 'missing-target'), join(dir, 'd.yaml'));
  expect(await errorsOf(dir)).toEqual([
    `${displayFile(join(dir, 'd.yaml'))}:1:1  (file): cannot read: no such file or directory`,
  ]);
});

test('files are shown relative to the working directory when inside it, else absolute', () => {
  expect(displayFile('/etc/livechatd/livechat.yaml', '/work/main')).toBe('/etc/livechatd/livechat.yaml');
  expect(displayFile('/work/main/config/livechat.yaml', '/work/main')).toBe('config/livechat.yaml');
  expect(displayFile('config/livechat.yaml', '/work/main')).toBe('config/livechat.yaml');
  expect(displayFile('/work/mainly/x.yaml', '/work/main')).toBe('/work/mainly/x.yaml');
  expect(relative(process.cwd(), displayFile('config/livechat.yaml'))).toBe('config/livechat.yaml');
});
