/**
 * The YAML layer's defences: prototype keys and merge keys are refused however they are written, and a
 * `%YAML 1.1` directive cannot switch on 1.1 behaviour (merge keys, yes/no booleans).
 */
import { expect, test } from 'vitest';
import { loadConfig } from '../../../src/config/index.js';
import { configFile } from './helpers.js';

async function messages(yaml: string): Promise<string[]> {
  const result = await loadConfig(configFile(yaml), { env: {} });
  return result.ok ? [] : result.errors.map((issue) => `${issue.line}:${issue.col} ${issue.path}: ${issue.message}`);
}

test('__proto__ is refused in JSON-style quoted keys too, and nothing reaches Object.prototype', async () => {
  expect(await messages('{"appearance": {"__proto__": {"polluted": true}}, "__proto__": 1}\n')).toEqual([
    '1:17 appearance.__proto__: the key "__proto__" is not allowed',
    '1:51 __proto__: the key "__proto__" is not allowed',
  ]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});

test('%YAML 1.1 does not enable merge keys or yes/no booleans', async () => {
  const yaml = '%YAML 1.1\n---\nx: &base {routing: manual}\nlivechat:\n  <<: *base\n  enabled: yes\n';
  expect(await messages(yaml)).toEqual(['5:3 livechat["<<"]: merge keys (<<) are not supported; write the keys out']);
});

test('a quoted "<<" is a merge key all the same', async () => {
  expect(await messages('livechat:\n  "<<": {routing: manual}\n')).toEqual([
    '2:3 livechat["<<"]: merge keys (<<) are not supported; write the keys out',
  ]);
});

test('keys must be names, not collections', async () => {
  expect(await messages('livechat:\n  ? [a, b]\n  : 1\n')).toEqual([
    '2:5 livechat: keys must be names, not lists, mappings or aliases',
  ]);
});

test('yes, on and friends are strings in YAML 1.2, so the schema says so', async () => {
  expect(await messages('livechat:\n  enabled: on\n')).toEqual([
    '2:12 livechat.enabled: must be true or false, not a string',
  ]);
});
