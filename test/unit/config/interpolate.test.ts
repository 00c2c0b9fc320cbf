/**
 * ${VAR} interpolation: the string function on its own, then through the loader — values never become YAML
 * structure or change type, keys are never interpolated, and interpolated values are never quoted back.
 */
import { describe, expect, test } from 'vitest';
import { formatIssue, loadConfig } from '../../../src/config/index.js';
import { interpolate } from '../../../src/config/interpolate.js';
import { configFile, HASH } from './helpers.js';

describe('interpolate()', () => {
  const env = { HOST: 'chat.example.com', EMPTY: '', PORT: '3000' };

  test('replaces set variables and reports which were used', () => {
    expect(interpolate('https://${HOST}:${PORT}/', env)).toEqual({
      text: 'https://chat.example.com:3000/',
      variables: ['HOST', 'PORT'],
      problems: [],
    });
  });

  test('uses the default when the variable is unset or empty, like the shell', () => {
    expect(interpolate('${NOPE:-a}|${EMPTY:-b}|${HOST:-c}|${NOPE:-}', env).text).toBe('a|b|chat.example.com|');
  });

  test('a set but empty variable without default is the empty string', () => {
    expect(interpolate('[${EMPTY}]', env)).toMatchObject({ text: '[]', problems: [] });
  });

  test('an unset variable without default is a problem naming it', () => {
    expect(interpolate('x${NOPE}y${ALSO_NOPE}', env).problems).toEqual([
      'environment variable NOPE is not set (set it, or give a default: ${NOPE:-value})',
      'environment variable ALSO_NOPE is not set (set it, or give a default: ${ALSO_NOPE:-value})',
    ]);
  });

  test('$${ is a literal ${ and is not a reference', () => {
    expect(interpolate('$${HOST} costs $5, ${HOST}', env)).toEqual({
      text: '${HOST} costs $5, chat.example.com',
      variables: ['HOST'],
      problems: [],
    });
  });

  test('a value is inserted once: references inside it or inside a default are left alone', () => {
    expect(interpolate('${X}', { X: '${HOST}' }).text).toBe('${HOST}');
    expect(interpolate('${NOPE:-$HOST}', env).text).toBe('$HOST');
  });

  test.each(['${', '${HOST', '${1X}', '${HOST:default}', '${HOST-x}', '${}'])('%s is malformed', (text) => {
    expect(interpolate(text, env).problems).toEqual([
      'malformed "${": write ${NAME} or ${NAME:-default}, or $${ for a literal "${"',
    ]);
  });

  test('text without references is unchanged', () => {
    expect(interpolate('plain $text {with} braces', env)).toEqual({
      text: 'plain $text {with} braces',
      variables: [],
      problems: [],
    });
  });
});

describe('through the loader', () => {
  async function loadYaml(yaml: string, env: Record<string, string>) {
    const result = await loadConfig(configFile(yaml), { env });
    if (!result.ok) throw new Error(result.errors.map(formatIssue).join('\n'));
    return result.config;
  }

  test('a value holding YAML syntax stays one string', async () => {
    const hostile = 'x\nagents:\n  - username: evil\n"}: [*a, &b]';
    const config = await loadYaml('appearance:\n  title: ${TITLE}\n', { TITLE: hostile });
    expect(config.appearance.title).toBe(hostile);
    expect(config.agents).toEqual([]);
  });

  test('values stay strings: a number-like value in a number field is an error, not a number', async () => {
    const result = await loadConfig(configFile('livechat:\n  maxChatsPerAgent: ${MAX}\n'), { env: { MAX: '7' } });
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual(['must be an integer, not a string']);
  });

  test('only scalars are interpolated: numbers and booleans are untouched, keys are never interpolated', async () => {
    const result = await loadConfig(configFile('livechat:\n  ${KEY}: true\n'), { env: { KEY: 'enabled' } });
    expect(result.ok ? [] : result.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      'livechat["${KEY}"]: unknown key "${KEY}"; expected one of: enabled, routing, acceptWithoutAgents, maxChatsPerAgent, agentGraceSeconds, queueTimeoutSeconds, messageMaxLength, businessHours, limits',
    ]);
  });

  test('the hash follows the environment: a different value is a different configuration', async () => {
    const yaml = `webhooks:\n  - id: crm\n    url: https://crm.example.com\n    secretToken: \${SECRET}\n`;
    const file = configFile(yaml);
    const [a, b, c] = await Promise.all(['one', 'two', 'one'].map((SECRET) => loadConfig(file, { env: { SECRET } })));
    if (!a?.ok || !b?.ok || !c?.ok) throw new Error('fixture invalid');
    expect(a.config.hash).not.toBe(b.config.hash);
    expect(a.config.hash).toBe(c.config.hash);
    expect(a.config.webhooks[0]!.secretToken).toBe('one');
  });

  test('interpolated values are listed for redaction, by path', async () => {
    const yaml = [
      'server:',
      '  dataDir: ${DIR:-./data}',
      'agents:',
      `  - {username: alice, name: Alice, passwordHash: "${HASH}"}`,
      'webhooks:',
      '  - {id: crm, url: "https://crm.example.com/${PATH_PART}", secretToken: "${SECRET}"}',
      '  - {id: plain, url: https://example.com, secretToken: "$${not-a-reference}"}',
    ].join('\n');
    const config = await loadYaml(yaml, { PATH_PART: 'hook', SECRET: 's' });
    expect(config.interpolatedPaths).toEqual(['server.dataDir', 'webhooks[0].url', 'webhooks[0].secretToken']);
    expect(config.webhooks[1]!.secretToken).toBe('${not-a-reference}');
  });

  test('process.env is the default environment', async () => {
    process.env.LIVECHAT_TEST_FROM_PROCESS = 'From process.env';
    try {
      const result = await loadConfig(configFile('appearance:\n  title: ${LIVECHAT_TEST_FROM_PROCESS}\n'));
      expect(result.ok && result.config.appearance.title).toBe('From process.env');
    } finally {
      delete process.env.LIVECHAT_TEST_FROM_PROCESS;
    }
  });
});
