/**
 * The compiled snapshot: deeply frozen (mutation throws — test files are ES modules, so strict mode), defaults
 * applied, lookup tables as null-prototype records, regexes compiled, and a hash of the effective configuration.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { formatIssue, loadConfig, summarize, type ConfigSnapshot } from '../../../src/config/index.js';
import { configFile, FIXTURE_ENV, FIXTURES, HASH, tempTree } from './helpers.js';

async function load(path: string, env: Record<string, string> = FIXTURE_ENV): Promise<ConfigSnapshot> {
  const result = await loadConfig(path, { env });
  if (!result.ok) throw new Error(result.errors.map(formatIssue).join('\n'));
  return result.config;
}

let full: ConfigSnapshot;
beforeAll(async () => {
  full = await load(join(FIXTURES, 'full.good.yaml'));
});

describe('frozen all the way down', () => {
  test('assigning, adding or deleting anywhere throws', () => {
    const mutable = full as unknown as Record<string, any>;
    expect(() => (mutable.hash = 'x')).toThrow(TypeError);
    expect(() => (mutable.livechat.routing = 'manual')).toThrow(TypeError);
    expect(() => (mutable.livechat.businessHours.week.monday[0] = '00:00-24:00')).toThrow(TypeError);
    expect(() => mutable.agents.push({})).toThrow(TypeError);
    expect(() => (mutable.webhooks[0].retry.attempts = 1)).toThrow(TypeError);
    expect(() => delete mutable.appearance.title).toThrow(TypeError);
    expect(() => (mutable.users.mallory = {})).toThrow(TypeError);
    expect(() => (mutable.departmentsOfAgent.alice[0] = 'x')).toThrow(TypeError);
    expect(() => (mutable.listen.port = 1)).toThrow(TypeError);
    expect(() => (mutable.sources as string[]).pop()).toThrow(TypeError);
  });

  test('compiled regexes are frozen yet usable (they are not global, so matching writes no state)', () => {
    const pattern = full.triggerPatterns.pricing!;
    expect(Object.isFrozen(pattern)).toBe(true);
    expect(pattern.test('https://shop.example.com/pricing/')).toBe(true);
    expect(pattern.test('https://shop.example.com/pricing')).toBe(true);
    expect(pattern.test('https://shop.example.com/pricingx')).toBe(false);
    expect('/pricing/'.replace(pattern, '')).toBe('');
  });
});

test('lookup tables are null-prototype records', () => {
  for (const table of [
    full.users,
    full.departmentById,
    full.departmentsOfAgent,
    full.triggerPatterns,
    full.customFieldPatterns,
  ]) {
    expect(Object.getPrototypeOf(table)).toBeNull();
    expect(table.constructor).toBeUndefined();
  }
});

test('lookups: users with roles, departments by id and by agent, patterns by id', () => {
  expect(full.users.boss).toMatchObject({ role: 'manager', name: 'The Boss' });
  expect(full.users.alice).toMatchObject({ role: 'agent', maxChats: 2 });
  expect(Object.keys(full.users).sort()).toEqual(['alice', 'bob.b', 'boss']);
  expect(full.departmentById.support).toBe(full.departments[1]);
  expect(full.departmentsOfAgent).toEqual({ alice: ['sales'], 'bob.b': ['sales', 'support'] });
  expect(Object.keys(full.triggerPatterns)).toEqual(['pricing']);
  expect(Object.keys(full.customFieldPatterns)).toEqual(['order']);
  expect(full.customFieldPatterns.order!.source).toBe('^[0-9]{6}$');
});

test('departmentsOfAgent: departments in configuration order, and a frozen empty list for an agent of none', async () => {
  const config = await load(
    configFile(
      [
        'agents:',
        ...['ann', 'ben', 'cat'].map((username) => `  - {username: ${username}, name: ${username}, passwordHash: "${HASH}"}`),
        'departments:',
        '  - {id: b, name: B, agents: [ben, ann]}',
        '  - {id: a, name: A, agents: [ann]}',
      ].join('\n'),
    ),
  );
  expect(config.departmentsOfAgent).toEqual({ ann: ['b', 'a'], ben: ['b'], cat: [] });
  expect(Object.isFrozen(config.departmentsOfAgent.cat)).toBe(true);
  expect(Object.isFrozen(config.departmentsOfAgent.ann)).toBe(true);
});

test('listen is parsed: IPv4, IPv6 without brackets, every interface', async () => {
  expect(full.listen).toEqual({ host: '0.0.0.0', port: 8080 });
  expect((await load(join(FIXTURES, 'ipv6.good.yaml'))).listen).toEqual({ host: '::1', port: 0 });
  expect((await load(configFile('server: {listen: ":4000"}\n'))).listen).toEqual({ host: '', port: 4000 });
  expect((await load(configFile('server: {listen: "localhost:1"}\n'))).listen).toEqual({ host: 'localhost', port: 1 });
});

test('an empty configuration gets every default, demo-friendly', async () => {
  const config = await load(join(FIXTURES, 'minimal.good.yaml'));
  expect(config.listen).toEqual({ host: '127.0.0.1', port: 3000 });
  expect(config.server).toEqual({
    listen: '127.0.0.1:3000',
    dataDir: './data',
    trustProxy: false,
    allowedOrigins: [],
    limits: { headerBytes: 16384, requestTimeoutSeconds: 30, wsConnectionsPerIp: 200 },
  });
  expect(config.livechat).toMatchObject({
    enabled: true,
    routing: 'round-robin',
    acceptWithoutAgents: false,
    maxChatsPerAgent: 5,
    agentGraceSeconds: 60,
    queueTimeoutSeconds: 0,
    messageMaxLength: 5000,
    businessHours: { enabled: false, timezone: 'UTC' },
    limits: {
      registrationsPerIp: { max: 30, perSeconds: 60 },
      roomsPerIp: { max: 30, perSeconds: 60 },
      messagesPerVisitor: { max: 30, perSeconds: 10 },
      pageVisitsPerIp: { max: 120, perSeconds: 60 },
      offlineMessagesPerIp: { max: 5, perSeconds: 60 },
      loginFailuresPerUsername: { max: 10, perSeconds: 900 },
      loginFailuresPerIp: { max: 30, perSeconds: 900 },
      framesPerConnection: { max: 200, perSeconds: 10 },
    },
  });
  expect(config.appearance).toMatchObject({
    title: 'livechatd',
    color: '#C1272D',
    offlineTitle: 'Leave a message',
    offlineColor: '#666666',
  });
  expect(config.appearance.registrationForm).toEqual({ enabled: true, nameField: true, emailField: true, message: '' });
  for (const list of [
    config.managers,
    config.agents,
    config.departments,
    config.triggers,
    config.customFields,
    config.webhooks,
  ]) {
    expect(list).toEqual([]);
  }
});

test('webhook defaults: the two session events, 10 attempts 10 s apart, 5 s timeout; secretToken kept as given', async () => {
  const [crm, audit] = full.webhooks;
  expect(crm).toMatchObject({
    secretToken: 'not-from-env',
    retry: { attempts: 3, intervalSeconds: 0.01 },
    timeoutSeconds: 0.5,
  });
  expect(audit).toEqual({
    id: 'audit',
    url: 'http://127.0.0.1:9/audit',
    events: ['LivechatSession', 'LivechatOfflineMessage'],
    retry: { attempts: 10, intervalSeconds: 10 },
    timeoutSeconds: 5,
  });
});

describe('hash', () => {
  test('is sha256 hex of the effective configuration', () => {
    expect(full.hash).toMatch(/^[0-9a-f]{64}$/);
  });

  test('ignores comments, key order, quoting, flow vs block style and splitting into files', async () => {
    const a = await load(
      configFile('# one\nlivechat:\n  routing: manual\n  enabled: true\nappearance: {title: "Hi"}\n'),
    );
    const b = await load(configFile('appearance:\n  title: Hi\nlivechat: {enabled: true, routing: "manual"}\n'));
    const dir = tempTree({ '1.yaml': 'appearance: {title: Hi}\n', '2.yaml': 'livechat: {routing: manual}\n' });
    const c = await load(dir);
    expect(b.hash).toBe(a.hash);
    expect(c.hash).toBe(a.hash);
  });

  test('writing a default explicitly does not change it; changing any value does', async () => {
    const implicit = await load(configFile('livechat: {routing: manual}\n'));
    const explicit = await load(configFile('livechat: {routing: manual, maxChatsPerAgent: 5}\n'));
    const changed = await load(configFile('livechat: {routing: manual, maxChatsPerAgent: 6}\n'));
    expect(explicit.hash).toBe(implicit.hash);
    expect(changed.hash).not.toBe(implicit.hash);
  });
});

test('summarize() counts each section and shows the short hash', async () => {
  expect(summarize(full)).toBe(
    `ok: 2 departments, 2 agents, 1 manager, 2 triggers, 3 custom fields, 2 webhooks (config ${full.hash.slice(0, 12)})`,
  );
  const split = await load(join(FIXTURES, 'split.good'));
  expect(summarize(split)).toMatch(
    /^ok: 1 department, 1 agent, 0 managers, 0 triggers, 0 custom fields, 0 webhooks \(config [0-9a-f]{12}\)$/,
  );
});

test('sources are the absolute paths read', async () => {
  expect(full.sources).toEqual([join(process.cwd(), FIXTURES, 'full.good.yaml')]);
  expect(readFileSync(full.sources[0]!, 'utf8')).toContain('Every section');
});
