/**
 * Semantic checks beyond the fixtures: which checks run when a section fails the schema, and the address parsers
 * over more inputs than fixtures can hold.
 */
import { describe, expect, test } from 'vitest';
import { httpUrlProblem, originProblem, parseListen } from '../../../src/config/addresses.js';
import { loadConfig } from '../../../src/config/index.js';
import { configFile, HASH } from './helpers.js';

async function messages(yaml: string): Promise<string[]> {
  const result = await loadConfig(configFile(yaml), { env: {} });
  return result.ok ? [] : result.errors.map((issue) => `${issue.path}: ${issue.message}`);
}

describe('a check runs only when every section it reads passed the schema', () => {
  const departments = 'departments:\n  - {id: sales, name: Sales, agents: [ghost]}\n  - {id: sales, name: Again}\n';

  test('a broken agents section hides "unknown agent", not the department checks that do not need agents', async () => {
    const yaml = `agents:\n  - {username: alice, name: Alice}\n${departments}`;
    expect(await messages(yaml)).toEqual([
      'agents[0]: missing required key "passwordHash"',
      'departments[1].id: duplicate department id "sales" (also at departments[0].id)',
    ]);
  });

  test('with valid agents, both are reported, together with errors in unrelated sections', async () => {
    const yaml = `agents:\n  - {username: alice, name: Alice, passwordHash: "${HASH}"}\n${departments}appearance: {position: top}\n`;
    expect(await messages(yaml)).toEqual([
      'departments[0].agents[0]: unknown agent "ghost"',
      'departments[1].id: duplicate department id "sales" (also at departments[0].id)',
      'appearance.position: must be one of: right, left',
    ]);
  });
});

test('a username repeated across managers and agents is reported once per repeat', async () => {
  const user = (name: string) => `  - {username: ${name}, name: X, passwordHash: "${HASH}"}\n`;
  const yaml = `managers:\n${user('ann')}${user('bo')}agents:\n${user('ann')}${user('bo')}${user('ann')}`;
  expect(await messages(yaml)).toEqual([
    'agents[0].username: duplicate username "ann" (also at managers[0].username)',
    'agents[1].username: duplicate username "bo" (also at managers[1].username)',
    'agents[2].username: duplicate username "ann" (also at managers[0].username)',
  ]);
});

test('an empty default value is not checked against regexp or options (as in Rocket.Chat)', async () => {
  const yaml =
    'customFields:\n  - {id: a, label: A, regexp: "^x$", defaultValue: ""}\n  - {id: b, label: B, type: select, options: [x], defaultValue: ""}\n';
  expect(await messages(yaml)).toEqual([]);
});

describe('parseListen()', () => {
  test.each([
    ['127.0.0.1:3000', { host: '127.0.0.1', port: 3000 }],
    ['0.0.0.0:0', { host: '0.0.0.0', port: 0 }],
    [':65535', { host: '', port: 65535 }],
    ['[::]:80', { host: '::', port: 80 }],
    ['[fe80::1]:8080', { host: 'fe80::1', port: 8080 }],
    ['chat.internal:3000', { host: 'chat.internal', port: 3000 }],
  ])('%s', (text, expected) => {
    expect(parseListen(text)).toEqual(expected);
  });

  test.each([
    ['127.0.0.1', 'must be host:port, [ipv6]:port or :port, e.g. 127.0.0.1:3000'],
    ['127.0.0.1:', 'must be host:port, [ipv6]:port or :port, e.g. 127.0.0.1:3000'],
    ['127.0.0.1:65536', 'the port must be between 0 and 65535'],
    ['127.0.0.1:-1', 'must be host:port, [ipv6]:port or :port, e.g. 127.0.0.1:3000'],
    ['::1:3000', 'an IPv6 address must be in brackets, e.g. [::1]:3000'],
    ['[127.0.0.1]:3000', 'the address in brackets must be an IPv6 address'],
    ['300.1.1.1:80', 'the host is not a valid IPv4 address'],
    ['bad_host:80', 'the host must be an IPv4 address, a host name or [an IPv6 address]'],
  ])('%s is refused', (text, error) => {
    expect(parseListen(text)).toEqual({ error });
  });
});

test('httpUrlProblem() and originProblem()', () => {
  expect(httpUrlProblem('https://crm.example.com/hook?x=1')).toBeUndefined();
  expect(httpUrlProblem('http://user:pass@10.0.0.1:8080/')).toBeUndefined();
  expect(httpUrlProblem('mailto:ops@example.com')).toBe('must be an http:// or https:// URL');
  expect(httpUrlProblem('//example.com')).toBe('must be an absolute URL such as https://example.com/path');
  expect(originProblem('http://localhost:8000')).toBeUndefined();
  expect(originProblem('https://[::1]:8443')).toBeUndefined();
  expect(originProblem('https://Shop.example.com')).toMatch(/^must be an origin as browsers send it/);
  expect(originProblem('*')).toBe('must be an origin such as https://shop.example.com');
});
