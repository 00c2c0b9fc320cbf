/**
 * The configurations shipped in config/: the demo a fresh checkout serves and every example load with an empty
 * environment, point editors at the schema, and the demo is commented key by key.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { formatIssue, loadConfig, summarize } from '../../../src/config/index.js';
import { verifyPassword } from '../../../src/domain/password.js';

const DEMO = 'config/livechat.yaml';
const EXAMPLES = 'config/examples';
const SCHEMA = resolve('schemas/livechat.schema.json');

const examples = readdirSync(EXAMPLES).map((name) => join(EXAMPLES, name));
const yamlFiles = (path: string) =>
  statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((n) => /\.ya?ml$/.test(n))
        .map((n) => join(path, n))
    : [path];

describe('loads with no environment at all', () => {
  test.each([DEMO, ...examples])('%s', async (path) => {
    const result = await loadConfig(path, { env: {} });
    expect(result.ok ? summarize(result.config) : result.errors.map(formatIssue)).toMatch(/^ok: /);
  });
});

test('the examples are a single file, a split directory and a multi-department setup', () => {
  expect(examples.sort()).toEqual([
    `${EXAMPLES}/multi-department.yaml`,
    `${EXAMPLES}/single-file.yaml`,
    `${EXAMPLES}/split`,
  ]);
  expect(yamlFiles(`${EXAMPLES}/split`).length).toBeGreaterThan(2);
});

describe('every YAML file starts with a $schema line that resolves to the schema', () => {
  test.each([DEMO, ...examples.flatMap(yamlFiles)])('%s', (file) => {
    const first = readFileSync(file, 'utf8').split('\n')[0] ?? '';
    const match = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
    expect(match, first).not.toBeNull();
    expect(resolve(dirname(file), match![1]!)).toBe(SCHEMA);
  });
});

test('the demo serves 127.0.0.1:3000 with data in ./data, two departments, three agents and a manager', async () => {
  const result = await loadConfig(DEMO, { env: {} });
  if (!result.ok) throw new Error(result.errors.map(formatIssue).join('\n'));
  const { listen, server, departments, agents, managers } = result.config;
  expect(listen).toEqual({ host: '127.0.0.1', port: 3000 });
  expect(server.dataDir).toBe('./data');
  expect(departments.map((d) => d.id)).toEqual(['sales', 'support']);
  expect(agents).toHaveLength(3);
  expect(managers).toHaveLength(1);
});

test('every demo account has a real hash of the password "demo", as the comment says', async () => {
  const result = await loadConfig(DEMO, { env: {} });
  if (!result.ok) throw new Error('demo config invalid');
  expect(readFileSync(DEMO, 'utf8')).toMatch(/password is "demo"/);
  for (const user of Object.values(result.config.users)) {
    expect(user.passwordHash).toMatch(/^\$scrypt\$ln=15,/);
    expect(await verifyPassword('demo', user.passwordHash)).toBe(true);
  }
});

test('every key in the demo has a comment on the line before it', () => {
  const lines = readFileSync(DEMO, 'utf8').split('\n');
  const uncommented = lines.flatMap((line, i) => {
    if (!/^\s*(- )?[A-Za-z]+:/.test(line)) return [];
    const previous = (lines[i - 1] ?? '').trim();
    return previous.startsWith('#') ? [] : [`${i + 1}: ${line}`];
  });
  expect(uncommented).toEqual([]);
});
