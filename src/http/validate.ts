/**
 * Request validation against the JSON Schemas in schemas/http (the source of truth for every body and query).
 * Each schema is compiled once, when the route module that uses it is loaded. A refusal is Rocket.Chat's
 * parameter error (spec §1.0 shape G): `invalid-params` with "Match error: <where> <why>". Messages name the
 * field and the rule, never the value: it may be a token or a password.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type Koa from 'koa';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { AppError } from '../domain/errors.js';
import { badText } from '../services/input-hygiene.js';

/** Two levels up from both src/http/ and dist/http/. */
const SCHEMA_DIR = new URL('../../schemas/http/', import.meta.url);
const BASE_ID = 'https://livechatd.dev/schemas/http/';

// allErrors stays off: the first problem is enough to answer, and ajv advises it for untrusted input.
// verbose puts parentSchema on errors, where patternErrorMessage lives. strictRequired is off for the
// `oneOf: [{required: [a]}, {required: [b]}]` idiom ("exactly one of a, b"), whose branches name no properties.
const ajv = new Ajv({ strict: true, strictRequired: false, verbose: true });
addFormats.default(ajv, ['date-time']);
// Same keyword as schemas/livechat.schema.json (yaml-language-server's): the words shown when `pattern` fails.
ajv.addKeyword('patternErrorMessage');
for (const file of readdirSync(SCHEMA_DIR, { recursive: true, encoding: 'utf8' })) {
  if (file.endsWith('.json')) ajv.addSchema(JSON.parse(readFileSync(new URL(file, SCHEMA_DIR), 'utf8')) as object);
}

/** A compiled schema: returns the value typed as T, or throws the `invalid-params` AppError. */
export type Check<T> = (data: unknown, subject?: string) => T;

/** `ref` is relative to schemas/http, e.g. `livechat.json#/definitions/postMessage`. Throws now if it is unknown. */
export function schema<T>(ref: string): Check<T> {
  const validateFn: ValidateFunction | undefined = ajv.getSchema(BASE_ID + ref);
  if (!validateFn) throw new Error(`schemas/http has no ${ref}`);
  return (data, subject = 'body') => {
    if (!validateFn(data)) throw new AppError('invalid-params', `Match error: ${describe(mostTelling(validateFn.errors ?? []), subject)}`);
    return data as T;
  };
}

/**
 * The query string as an object for a query schema. Rocket.Chat's SDK writes an undefined value as the literal
 * "undefined" and agent.next defaults department to "": both mean absent. A repeated key stays an array, which
 * the schema refuses (it cannot say which value was meant).
 */
export function queryOf(ctx: Koa.Context): Record<string, unknown> {
  // Null prototype: a `?__proto__=` key stays a plain key.
  const out = Object.create(null) as Record<string, unknown>;
  for (const [key, value] of Object.entries(ctx.query)) {
    if (value !== undefined && value !== 'undefined' && value !== '') out[key] = value;
  }
  // `%00` decodes to NUL; text it is not, wherever it is.
  const problem = badText(out, 'query');
  if (problem) throw new AppError('invalid-params', `Match error: ${problem}`);
  return out;
}

/** The first error, unless a choice of fields failed as a whole: its branches' errors would name only one of them. */
function mostTelling(errors: ErrorObject[]): ErrorObject | undefined {
  return errors.find((e) => e.keyword === 'oneOf' && oneOfRequired(e) !== undefined) ?? errors[0];
}

function describe(error: ErrorObject | undefined, subject: string): string {
  if (!error) return `${subject} is invalid`;
  const where = pathOf(error.instancePath) || subject;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `${join(pathOf(error.instancePath), String(params.missingProperty))} is required`;
    case 'additionalProperties':
      return `${where} has an unknown field "${String(params.additionalProperty).slice(0, 64)}"`;
    case 'type':
      return `${where} must be ${[params.type].flat().map(article).join(' or ')}`;
    case 'enum':
      return `${where} must be one of: ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'pattern':
      return `${where} ${typeof error.parentSchema?.patternErrorMessage === 'string' ? error.parentSchema.patternErrorMessage : 'has an invalid format'}`;
    case 'minLength':
      return params.limit === 1 ? `${where} must not be empty` : `${where} ${error.message ?? 'is too short'}`.replace('NOT', 'not');
    case 'oneOf':
      return `${where === subject ? '' : `${where}: `}${oneOfRequired(error) ?? 'does not match exactly one of the allowed shapes'}`;
    default:
      return `${where} ${(error.message ?? 'is invalid').replace('NOT', 'not')}`;
  }
}

/** `/visitor/customFields/0/key` → `visitor.customFields[0].key`. */
function pathOf(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, part) => (/^\d+$/.test(part) ? `${path}[${part}]` : join(path, part)), '');
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function article(type: unknown): string {
  return { object: 'an object', array: 'an array', integer: 'an integer', boolean: 'true or false', null: 'null' }[String(type)] ?? `a ${String(type)}`;
}

/** `oneOf: [{required:[a]}, {required:[b]}]` (a choice of target) reads as "exactly one of a, b is required". */
function oneOfRequired(error: ErrorObject): string | undefined {
  const branches = error.parentSchema?.oneOf as { required?: string[] }[] | undefined;
  const keys = branches?.flatMap((b) => b.required ?? []);
  return keys && keys.length === branches?.length ? `exactly one of ${keys.join(', ')} is required` : undefined;
}
