/**
 * The schema is for editors as much as for the loader: valid JSON Schema that ajv compiles in strict mode, closed
 * (additionalProperties: false) everywhere, a description on every property, and the generated TypeScript types
 * in src/config/schema-types.ts are what the generator makes of it today.
 */
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { expect, test } from 'vitest';
// @ts-expect-error -- a plain .mjs script without type declarations
import { OUTPUT, renderConfigTypes } from '../../../scripts/gen-config-types.mjs';

type Schema = Record<string, unknown>;
const schema = JSON.parse(readFileSync('schemas/livechat.schema.json', 'utf8')) as Schema;
const definitions = schema.definitions as Record<string, Schema>;

/** Every subschema, with a readable location, following no $ref (each definition is visited where it is defined). */
function* subschemas(node: unknown, at: string): Generator<[string, Schema]> {
  if (node === null || typeof node !== 'object') return;
  if (Array.isArray(node)) {
    for (const [i, item] of node.entries()) yield* subschemas(item, `${at}[${i}]`);
    return;
  }
  yield [at, node as Schema];
  for (const [key, value] of Object.entries(node)) {
    if (key === 'default' || key === 'enum' || key === 'const') continue; // data, not schemas
    yield* subschemas(value, `${at}/${key}`);
  }
}

const resolveRef = (s: Schema): Schema =>
  typeof s.$ref === 'string' ? resolveRef(definitions[s.$ref.replace('#/definitions/', '')]!) : s;

test('ajv compiles it in strict mode (which also validates it against the draft-07 meta-schema)', () => {
  const ajv = new Ajv({ strict: true, discriminator: true, allErrors: true });
  addFormats.default(ajv, ['email']);
  ajv.addKeyword('patternErrorMessage');
  expect(ajv.validateSchema(schema)).toBe(true);
  expect(() => ajv.compile(schema)).not.toThrow();
});

test('every property has a description for editor hover text (its own or its $ref target)', () => {
  const missing: string[] = [];
  for (const [at, node] of subschemas(schema, '#')) {
    if (!node.properties || at.endsWith('/properties')) continue;
    for (const [name, property] of Object.entries(node.properties as Record<string, Schema>)) {
      if (typeof property.description !== 'string' && typeof resolveRef(property).description !== 'string') {
        missing.push(`${at}/properties/${name}`);
      }
    }
  }
  expect(missing).toEqual([]);
});

test('every object is closed: unknown keys are errors', () => {
  const open = [...subschemas(schema, '#')]
    .filter(([at, node]) => node.properties && !at.endsWith('/properties') && node.additionalProperties !== false)
    .map(([at]) => at);
  expect(open).toEqual([]);
});

test('ids and usernames have a pattern with a human message', () => {
  for (const name of ['id', 'username']) {
    expect(definitions[name]!.pattern).toEqual(expect.any(String));
    expect(definitions[name]!.patternErrorMessage).toEqual(expect.any(String));
  }
  for (const [at, node] of subschemas(schema, '#')) {
    if (typeof node.pattern === 'string') expect(node.patternErrorMessage, at).toEqual(expect.any(String));
  }
});

test('src/config/schema-types.ts is up to date (npm run gen:types)', async () => {
  expect(readFileSync(OUTPUT as string, 'utf8')).toBe(await (renderConfigTypes as () => Promise<string>)());
});
