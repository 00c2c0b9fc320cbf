/**
 * Reading requests: JSON bodies (size-limited, prototype-safe) and query strings, validated against the schemas
 * in schemas/http before any service sees them. Messages say which field is wrong and why, never echo a value
 * (it may be a token).
 */
import { readFileSync } from 'node:fs';
import type Koa from 'koa';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import getRawBody from 'raw-body';
import sjson from 'secure-json-parse';
import { AppError } from '../domain/errors.js';

export const MAX_BODY_BYTES = 64 * 1024;

const SCHEMAS = new URL('../../schemas/http/', import.meta.url);
// strictRequired is off: `oneOf: [{required: [a]}, {required: [b]}]` (exactly one of two declared fields) is intended.
const ajv = new Ajv({ allErrors: false, strict: true, strictRequired: false });
addFormats.default(ajv, ['date-time']);
for (const name of ['livechat.json', 'agent.json']) ajv.addSchema(JSON.parse(readFileSync(new URL(name, SCHEMAS), 'utf8')) as object);

const cache = new Map<string, ValidateFunction>();

/** `ref` is `<file>#/definitions/<name>`, e.g. `livechat.json#/definitions/postMessage`. */
export function validate<T>(ref: string, data: unknown): T {
  let check = cache.get(ref);
  if (!check) {
    check = ajv.getSchema(`https://livechatd.dev/schemas/http/${ref}`);
    if (!check) throw new Error(`no schema ${ref}`);
    cache.set(ref, check);
  }
  if (!check(data)) throw new AppError('invalid-params', `Match error: ${describe(check.errors?.[0])}`);
  return data as T;
}

/** The parsed JSON body (an empty body reads as `{}`). */
export async function readJson(ctx: Koa.Context): Promise<unknown> {
  const length = ctx.request.length;
  if (length === 0 || (length === undefined && !ctx.request.type && ctx.req.headers['transfer-encoding'] === undefined)) return {};
  if (!ctx.is('application/json', 'text/plain')) throw new AppError('invalid-params', 'Match error: body must be JSON (Content-Type: application/json)');
  let text: string;
  try {
    text = await getRawBody(ctx.req, { limit: MAX_BODY_BYTES, encoding: 'utf8', ...(length !== undefined && { length }) });
  } catch (err) {
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') throw new AppError('payload-too-large', `Request body larger than ${MAX_BODY_BYTES} bytes`);
    throw new AppError('invalid-params', 'Match error: unreadable request body');
  }
  if (text.trim() === '') return {};
  try {
    return sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    throw new AppError('invalid-params', 'Match error: body is not valid JSON (or carries __proto__/constructor keys)');
  }
}

export async function body<T>(ctx: Koa.Context, ref: string): Promise<T> {
  return validate<T>(ref, await readJson(ctx));
}

/**
 * The query as a plain object. Rocket.Chat's SDK sends the literal "undefined" for unset values and may repeat a
 * key; both are normalised (absent; first value) before validation.
 */
export function query<T>(ctx: Koa.Context, ref: string): T {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(ctx.query)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined && first !== 'undefined' && first !== '') out[key] = first;
  }
  return validate<T>(ref, { ...out });
}

function describe(error: ErrorObject | undefined): string {
  if (!error) return 'invalid request';
  const path = error.instancePath.slice(1).replaceAll('/', '.');
  if (error.keyword === 'required') return `${path ? `${path}.` : ''}${(error.params as { missingProperty: string }).missingProperty} is required`;
  if (error.keyword === 'additionalProperties') return `${path ? `${path}: ` : ''}unknown field "${(error.params as { additionalProperty: string }).additionalProperty}"`;
  return `${path || 'body'} ${error.message ?? 'is invalid'}`;
}
