/**
 * Validation against schemas/livechat.schema.json with ajv: compiled once, every error reported (`allErrors`),
 * defaults filled in place (`useDefaults`), and each error turned into an issue at the YAML it is about, in words
 * a person can act on. Messages never repeat a value (values may come from the environment).
 */
import { readFileSync } from 'node:fs';
import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { ConfigIssue, Segment } from './issues.js';
import { fromPointer, type LocatedTree } from './tree.js';

/** Two levels up from both src/config/ and dist/config/. */
const SCHEMA_PATH = new URL('../../schemas/livechat.schema.json', import.meta.url);

let compiled: ValidateFunction | undefined;

function validator(): ValidateFunction {
  if (compiled) return compiled;
  // `verbose` puts parentSchema on errors: the allowed keys, patternErrorMessage and discriminator branches.
  const ajv = new Ajv({ strict: true, allErrors: true, useDefaults: true, discriminator: true, verbose: true });
  addFormatsModule.default(ajv, ['email']);
  // The VS Code / yaml-language-server extension keyword: the message shown when `pattern` fails.
  ajv.addKeyword('patternErrorMessage');
  compiled = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as object);
  return compiled;
}

export interface SchemaResult {
  issues: ConfigIssue[];
  /** Top-level sections with at least one error; semantic checks that read them are skipped. */
  invalidSections: Set<string>;
}

/** Validates `tree.data` in place: afterwards every property with a schema default is present. */
export function validateSchema(tree: LocatedTree): SchemaResult {
  const validate = validator();
  if (validate(tree.data)) return { issues: [], invalidSections: new Set() };
  const located = (validate.errors ?? []).map((error) => ({ error, path: fromPointer(error.instancePath, tree.data) }));
  return {
    issues: located.map(({ error, path }) => describe(error, path, tree)),
    invalidSections: new Set(located.flatMap(({ path }) => (typeof path[0] === 'string' ? [path[0]] : []))),
  };
}

function describe(error: ErrorObject, path: Segment[], tree: LocatedTree): ConfigIssue {
  const params = error.params as Record<string, unknown>;
  const parent = error.parentSchema ?? {};
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      return tree.issue([...path, key], unknownKey(key, Object.keys(parent.properties ?? {})), 'key');
    }
    case 'required':
      return tree.issue(path, `missing required key "${String(params.missingProperty)}"`);
    case 'discriminator': {
      // ajv says "tag" for a missing or non-string tag and "mapping" for an unknown one.
      const tag = String(params.tag);
      const missing = (error.data as Record<string, unknown>)[tag] === undefined;
      return missing
        ? tree.issue(path, `missing required key "${tag}"`)
        : tree.issue([...path, tag], `must be one of: ${branchNames(parent, tag)}`);
    }
    case 'type':
      return tree.issue(path, `must be ${TYPE_NAMES[String(params.type)] ?? params.type}, not ${typeOf(error.data)}`);
    case 'enum':
      return tree.issue(path, `must be one of: ${(params.allowedValues as unknown[]).join(', ')}`);
    case 'pattern':
      return tree.issue(path, String(parent.patternErrorMessage ?? `must match the pattern ${String(params.pattern)}`));
    case 'format':
      return tree.issue(
        path,
        params.format === 'email' ? 'must be an e-mail address' : `must be a valid ${String(params.format)}`,
      );
    case 'minLength':
    case 'minItems':
      return tree.issue(path, params.limit === 1 ? 'must not be empty' : (error.message ?? 'is too short'));
    case 'uniqueItems': {
      // Which of ajv's `i` and `j` is the earlier copy depends on the item schema; report the later one.
      const [first, second] = [Number(params.i), Number(params.j)].sort((a, b) => a - b);
      return tree.issue([...path, second!], `duplicate of ${pathTail(path, first!)}`);
    }
    default:
      return tree.issue(path, error.message ?? 'is invalid');
  }
}

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
};

/** The kind of value found (never the value itself): `must be a list, not empty`. */
function typeOf(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'number')
    return !Number.isFinite(value) ? 'infinite' : Number.isInteger(value) ? 'a number' : 'a fraction';
  return TYPE_NAMES[typeof value === 'object' ? 'object' : typeof value] ?? typeof value;
}

/** The tag values of a discriminated oneOf: `page-url, time-on-site, …`. */
function branchNames(schema: AnySchemaObject, tag: string): string {
  const branches = (schema.oneOf ?? []) as { properties?: Record<string, { const?: unknown }> }[];
  return branches.map((branch) => String(branch.properties?.[tag]?.const)).join(', ');
}

/** `agents[0]` for item 0 of `departments[1].agents`. */
function pathTail(path: Segment[], index: number): string {
  const last = path[path.length - 1];
  return typeof last === 'string' ? `${last}[${index}]` : `[${index}]`;
}

/** `unknown key "colour" (did you mean "color"?)`, or the list of keys allowed there. */
function unknownKey(key: string, allowed: string[]): string {
  const normalized = normalizeKey(key);
  const closest = allowed
    .map((candidate) => ({ candidate, distance: editDistance(normalized, normalizeKey(candidate)) }))
    .sort((a, b) => a.distance - b.distance)[0];
  if (closest && closest.distance <= (key.length > 4 ? 2 : 1))
    return `unknown key "${key}" (did you mean "${closest.candidate}"?)`;
  return allowed.length > 0 ? `unknown key "${key}"; expected one of: ${allowed.join(', ')}` : `unknown key "${key}"`;
}

/** `max_chats`, `Max-Chats` and `maxChats` are the same mistake. */
function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/[-_]/g, '');
}

/** Levenshtein distance. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
