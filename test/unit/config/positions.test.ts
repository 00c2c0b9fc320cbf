/**
 * Line and column accuracy: every issue points at the text it is about — the value, the unknown key, or for a
 * missing key the mapping that lacks it — in block and flow style, through aliases, with CRLF line endings.
 * Positions are 1-based; each test marks the expected spot in the YAML itself.
 */
import { expect, test } from 'vitest';
import { parseSource } from '../../../src/config/document.js';
import { loadConfig, type ConfigIssue } from '../../../src/config/index.js';
import { validateSchema } from '../../../src/config/schema.js';
import { mergeDocuments } from '../../../src/config/tree.js';
import { configFile, HASH } from './helpers.js';

async function issues(yaml: string): Promise<Omit<ConfigIssue, 'file'>[]> {
  const result = await loadConfig(configFile(yaml), { env: {} });
  if (result.ok) throw new Error('expected issues');
  return result.errors.map(({ line, col, path, message }) => ({ line, col, path, message }));
}

/** Line and column (1-based) of the first occurrence of `marker` in `text`. */
function find(text: string, marker: string): { line: number; col: number } {
  const before = text.slice(0, text.indexOf(marker)).split('\n');
  return { line: before.length, col: before[before.length - 1]!.length + 1 };
}

test('a value in block style', async () => {
  const yaml = 'livechat:\n  enabled: true\n  routing:    sideways\n';
  expect(await issues(yaml)).toMatchObject([{ ...find(yaml, 'sideways'), path: 'livechat.routing' }]);
});

test('values in flow style, and list items', async () => {
  const yaml = `agents: [{username: alice, name: Alice, passwordHash: "${HASH}", maxChats: -2}]\ndepartments:\n  - id: d\n    name: D\n    agents: [alice,   Bad]\n`;
  expect(await issues(yaml)).toMatchObject([
    { ...find(yaml, '-2'), path: 'agents[0].maxChats' },
    { ...find(yaml, 'Bad'), path: 'departments[0].agents[1]' },
  ]);
});

test('an unknown key points at the key, not at its value', async () => {
  const yaml = 'appearance:\n  title: x\n  titel:\n    nested: 1\n';
  expect(await issues(yaml)).toMatchObject([{ ...find(yaml, 'titel'), path: 'appearance.titel' }]);
});

test('a missing key points at the start of the mapping that lacks it', async () => {
  const yaml = 'departments:\n  - id: sales\n    name: Sales\n  -   id: support\n';
  expect(await issues(yaml)).toMatchObject([
    { ...find(yaml, 'id: support'), path: 'departments[1]', message: 'missing required key "name"' },
  ]);
});

test('a semantic error in a value written through an alias points at the alias', async () => {
  const yaml = `agents: [{username: alice, name: A, passwordHash: "${HASH}"}]\nx: &who [alice, carol]\ndepartments:\n  - {id: d, name: D, agents:  *who}\n`;
  const found = await issues(yaml);
  // `x` is an unknown section; the alias expands where it is used, the bad item keeps its own place.
  expect(found).toMatchObject([
    { ...find(yaml, 'x:'), path: 'x' },
    { ...find(yaml, 'carol'), path: 'departments[0].agents[1]', message: 'unknown agent "carol"' },
  ]);
});

test('CRLF line endings do not shift columns', async () => {
  const yaml = 'livechat:\r\n  enabled: true\r\n  routing: sideways\r\n';
  expect(await issues(yaml)).toMatchObject([{ line: 3, col: 12, path: 'livechat.routing' }]);
});

test('a value that only exists as a default is placed at its closest written ancestor', () => {
  const text = 'livechat:\n  routing: manual\n';
  const { tree } = mergeDocuments([parseSource({ path: '/x.yaml', file: 'x.yaml', text }, {})]);
  validateSchema(tree); // fills in livechat.businessHours.timezone
  expect(tree.issue(['livechat', 'businessHours', 'timezone'], 'm')).toEqual({
    file: 'x.yaml',
    line: 2,
    col: 3,
    path: 'livechat.businessHours.timezone',
    message: 'm',
  });
});

test('a YAML syntax error points at the line where the parser stopped', async () => {
  const yaml = 'livechat:\n  routing: manual\n  enabled: [true\nagents: []\n';
  expect(await issues(yaml)).toMatchObject([{ line: 4, col: 1, path: '(yaml)' }]);
});

test('a missing environment variable points at its scalar', async () => {
  const yaml = 'server:\n  dataDir: "/srv/${LIVECHAT_TEST_NOT_SET}"\n';
  expect(await issues(yaml)).toMatchObject([{ ...find(yaml, '"/srv'), path: 'server.dataDir' }]);
});
