/**
 * Client frames of the DDP endpoint: parsed (no prototype keys), then validated against schemas/ws/ddp-client.json
 * before anything acts on them. The envelope is checked here; method and subscription params are checked by the
 * code that answers them (`checkParams`), so that a bad call still gets its `result` and a bad sub its `nosub`.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import sjson from 'secure-json-parse';

const SCHEMA_ID = 'https://livechatd.dev/schemas/ws/ddp-client.json';
const schema = JSON.parse(readFileSync(new URL('../../../schemas/ws/ddp-client.json', import.meta.url), 'utf8')) as object;
const ajv = new Ajv({ allErrors: false, strict: true });
ajv.addSchema(schema);

function definition(name: string): ValidateFunction {
  const validate = ajv.getSchema(`${SCHEMA_ID}#/definitions/${name}`);
  if (!validate) throw new Error(`no definition ${name} in ddp-client.json`);
  return validate;
}

export type ClientFrame =
  | { msg: 'connect'; version: string; support?: string[] }
  | { msg: 'ping'; id?: string }
  | { msg: 'pong'; id?: string }
  | { msg: 'method'; id: string; method: string; params?: unknown[] }
  | { msg: 'sub'; id: string; name: string; params?: unknown[] }
  | { msg: 'unsub'; id: string };

const ENVELOPES: Record<ClientFrame['msg'], ValidateFunction> = {
  connect: definition('connect'),
  ping: definition('ping'),
  pong: definition('pong'),
  method: definition('method'),
  sub: definition('sub'),
  unsub: definition('unsub'),
};

export type ParsedFrame =
  | { ok: true; frame: ClientFrame }
  /** `answer` names the frame that must still be answered: a method gets a `result`, a sub a `nosub`. */
  | { ok: false; reason: string; answer?: { msg: 'method' | 'sub'; id: string } };

export function parseClientFrame(text: string): ParsedFrame {
  let data: unknown;
  try {
    data = sjson.parse(text, undefined, { protoAction: 'error', constructorAction: 'error' });
  } catch {
    return { ok: false, reason: 'frame is not valid JSON (or carries __proto__/constructor keys)' };
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return { ok: false, reason: 'frame must be a JSON object' };
  const record = data as Record<string, unknown>;
  const msg = record.msg;
  const validate = typeof msg === 'string' && Object.hasOwn(ENVELOPES, msg) ? ENVELOPES[msg as ClientFrame['msg']] : undefined;
  if (!validate) return { ok: false, reason: `unknown msg; expected one of: ${Object.keys(ENVELOPES).join(', ')}` };
  if (validate(data)) return { ok: true, frame: data as ClientFrame };
  const id = typeof record.id === 'string' && record.id.length > 0 && record.id.length <= 64 ? record.id : undefined;
  const answer = id !== undefined && (msg === 'method' || msg === 'sub') ? { msg: msg as 'method' | 'sub', id } : undefined;
  return { ok: false, reason: `invalid ${msg as string} frame: ${describe(validate.errors)}`, ...(answer && { answer }) };
}

export type ParamsName = 'streamParams' | 'setUpConnectionParams' | 'typingParams';
const PARAMS: Record<ParamsName, ValidateFunction> = {
  streamParams: definition('streamParams'),
  setUpConnectionParams: definition('setUpConnectionParams'),
  typingParams: definition('typingParams'),
};

/** undefined when `params` match the named definition, else what is wrong with them. */
export function checkParams(name: ParamsName, params: unknown): string | undefined {
  const validate = PARAMS[name];
  return validate(params ?? []) ? undefined : describe(validate.errors);
}

function describe(errors: ErrorObject[] | null | undefined): string {
  const e = errors?.[0];
  if (!e) return 'is invalid';
  const where = e.instancePath ? e.instancePath.slice(1).replaceAll('/', '.') : 'frame';
  return `${where} ${e.message ?? 'is invalid'}`;
}
