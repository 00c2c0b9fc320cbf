/**
 * Client frames: parsed, bounded in depth, validated against schemas/ws/ by their `type`, and checked for text
 * hygiene (no NUL, no lone surrogate, see services/input-hygiene.ts) before anything acts on them. Invalid UTF-8
 * never gets here: ws closes the connection with 1007.
 * Validators are compiled once per process.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import sjson from 'secure-json-parse';
import { badText, MAX_DEPTH, textProblem, tooDeep } from '../services/input-hygiene.js';

const SCHEMAS = new URL('../../schemas/ws/', import.meta.url);
const load = (name: string) => JSON.parse(readFileSync(new URL(name, SCHEMAS), 'utf8')) as object;

// strictRequired is off: `oneOf: [{required: [a]}, {required: [b]}]` (exactly one of two declared fields) is intended.
const ajv = new Ajv({ allErrors: false, strict: true, strictRequired: false });
ajv.addSchema(load('common.json'));
ajv.addSchema(load('visitor-client.json'));
ajv.addSchema(load('agent-client.json'));

export type Channel = 'visitor' | 'agent';

const TYPES: Record<Channel, Record<string, string>> = {
  visitor: {
    auth: 'common.json#/definitions/auth',
    typing: 'common.json#/definitions/typing',
    resume: 'common.json#/definitions/resume',
    send: 'common.json#/definitions/send',
  },
  agent: {
    auth: 'common.json#/definitions/auth',
    typing: 'common.json#/definitions/typing',
    resume: 'common.json#/definitions/resume',
    status: 'agent-client.json#/definitions/status',
    take: 'agent-client.json#/definitions/take',
    send: 'common.json#/definitions/send',
    close: 'agent-client.json#/definitions/close',
    transfer: 'agent-client.json#/definitions/transfer',
  },
};

const validators = new Map<string, ValidateFunction>();
function validatorFor(ref: string): ValidateFunction {
  let v = validators.get(ref);
  if (!v) {
    v = ajv.getSchema(`https://livechatd.dev/schemas/ws/${ref}`);
    if (!v) throw new Error(`no schema ${ref}`);
    validators.set(ref, v);
  }
  return v;
}

export type ParsedFrame = { ok: true; frame: { type: string } & Record<string, unknown> } | { ok: false; message: string; id?: string };

export function parseFrame(channel: Channel, text: string): ParsedFrame {
  let data: unknown;
  try {
    data = sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    return { ok: false, message: 'frame is not valid JSON (or carries __proto__/constructor keys)' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, message: 'frame must be a JSON object' };
  if (tooDeep(data)) return { ok: false, message: `frame is nested more than ${MAX_DEPTH} levels deep` };
  const record = data as Record<string, unknown>;
  const id = typeof record.id === 'string' && textProblem(record.id) === undefined ? record.id.slice(0, 64) : undefined;
  const type = record.type;
  // Own keys only: `{"type":"constructor"}` must not find Object.prototype.constructor (it crashed the process).
  const ref = typeof type === 'string' && Object.hasOwn(TYPES[channel], type) ? TYPES[channel][type] : undefined;
  if (!ref) return { ok: false, message: `unknown frame type; expected one of: ${Object.keys(TYPES[channel]).join(', ')}`, ...(id && { id }) };
  const validate = validatorFor(ref);
  if (!validate(data)) {
    const e = validate.errors?.[0];
    const where = e?.instancePath ? e.instancePath.slice(1).replaceAll('/', '.') : (e?.params as { missingProperty?: string })?.missingProperty ?? type;
    return { ok: false, message: `invalid ${type as string} frame: ${where} ${e?.message ?? 'is invalid'}`, ...(id && { id }) };
  }
  const problem = badText(data, type as string);
  if (problem) return { ok: false, message: `invalid ${type as string} frame: ${problem}`, ...(id && { id }) };
  return { ok: true, frame: record as { type: string } & Record<string, unknown> };
}
