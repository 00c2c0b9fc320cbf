#!/usr/bin/env node
/**
 * Generates src/config/schema-types.ts from schemas/livechat.schema.json (`npm run gen:types`).
 *
 * The types describe the configuration *after* validation: ajv runs with `useDefaults`, so every property that has
 * a `default` is always present. The schema is therefore rewritten before generation so that such properties are
 * required; editors keep using the schema as written, where they are optional.
 *
 * Imported by test/unit/config/schema.test.ts, which fails when the committed file is stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { compile } from 'json-schema-to-typescript';

const SCHEMA = fileURLToPath(new URL('../schemas/livechat.schema.json', import.meta.url));
export const OUTPUT = fileURLToPath(new URL('../src/config/schema-types.ts', import.meta.url));

const BANNER = `/* eslint-disable */
/**
 * Generated from schemas/livechat.schema.json by scripts/gen-config-types.mjs (npm run gen:types). Do not edit.
 * These are the shapes after validation: every property with a schema default is present.
 */`;

/** Keywords whose values are data, not subschemas: never rewrite inside them. */
const DATA_KEYWORDS = new Set(['default', 'const', 'enum', 'examples']);

/** Marks every property that has a default as required, in place, throughout the schema. */
function requireDefaulted(schema) {
  if (Array.isArray(schema)) return schema.forEach(requireDefaulted);
  if (schema === null || typeof schema !== 'object') return;
  if (schema.properties) {
    const defaulted = Object.keys(schema.properties).filter((key) => 'default' in schema.properties[key]);
    const required = new Set([...(schema.required ?? []), ...defaulted]);
    if (required.size > 0) schema.required = [...required];
  }
  for (const [key, value] of Object.entries(schema)) if (!DATA_KEYWORDS.has(key)) requireDefaulted(value);
}

export async function renderConfigTypes() {
  const schema = JSON.parse(await readFile(SCHEMA, 'utf8'));
  requireDefaulted(schema);
  return compile(schema, 'LivechatConfig', {
    bannerComment: BANNER,
    additionalProperties: false,
    unreachableDefinitions: false,
    strictIndexSignatures: true,
    style: { singleQuote: true, printWidth: 120 },
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeFile(OUTPUT, await renderConfigTypes());
  process.stdout.write(`wrote ${OUTPUT}\n`);
}
