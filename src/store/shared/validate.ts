/**
 * Checks a store call must pass before it touches any data. Both drivers run exactly these, so they accept and
 * reject the same calls, and a rejected call has changed nothing.
 *
 * Error messages name the collection and the op's position but never a key or a value: keys are often tokens.
 */
import { AppError } from '../../domain/errors.js';
import { rememberedJson } from '../../domain/json-text.js';
import { COLLECTIONS, type BatchOp, type Collection } from '../../domain/ports/store.js';

/**
 * A batch op that passed validation. `json` is the value already serialised: encoding happens here, per caller,
 * so a value that cannot be serialised fails its own batch and never a write merged with other callers.
 */
export type CheckedOp =
  | { type: 'put'; collection: Collection; key: string; json: string }
  | { type: 'del'; collection: Collection; key: string };

const KNOWN_COLLECTIONS: ReadonlySet<string> = new Set(COLLECTIONS);

/** In a `u` regex a surrogate pair is one code point, so this matches only unpaired surrogates. */
const UNPAIRED_SURROGATE = /\p{Surrogate}/u;

export function closedError(): AppError {
  return new AppError('store-closed', 'the store is closed');
}

/** `where` names the argument in error messages, e.g. "batch op 2". */
export function checkCollection(collection: Collection, where?: string): void {
  if (!KNOWN_COLLECTIONS.has(collection)) throw invalid(`unknown collection ${JSON.stringify(collection)}`, where);
}

/**
 * Keys are strings that survive UTF-8 encoding unchanged. LevelDB stores keys as UTF-8, which turns every unpaired
 * surrogate into U+FFFD, so two different ill-formed keys would silently address the same entry.
 */
export function checkKey(key: string, where?: string): void {
  if (typeof key !== 'string') throw invalid('key must be a string', where);
  if (UNPAIRED_SURROGATE.test(key)) throw invalid('key must be well-formed Unicode', where);
}

export function checkKeys(keys: readonly string[]): void {
  if (!Array.isArray(keys)) throw invalid('keys must be an array');
  keys.forEach((key, i) => checkKey(key, `key ${i}`));
}

/** Validates and encodes every op of one caller's batch; throws on the first bad op. */
export function checkBatch(ops: readonly BatchOp[]): CheckedOp[] {
  if (!Array.isArray(ops)) throw invalid('batch ops must be an array');
  return ops.map((op, i) => checkOp(op, `batch op ${i}`));
}

function checkOp(op: BatchOp, where: string): CheckedOp {
  if (typeof op !== 'object' || op === null) throw invalid('op must be an object', where);
  checkCollection(op.collection, where);
  checkKey(op.key, where);
  const { collection, key } = op;
  switch (op.type) {
    case 'put':
      return { type: 'put', collection, key, json: encodeValue(op.value, where) };
    case 'del':
      return { type: 'del', collection, key };
    default:
      throw invalid('op type must be "put" or "del"', where);
  }
}

/**
 * Values are stored as JSON text; what JSON cannot represent (undefined, functions, BigInt, cycles) is refused. A
 * value whose text was already made (a new message, see domain/json-text.ts) is not serialised again.
 */
export function encodeValue(value: unknown, where?: string): string {
  let json = rememberedJson(value);
  if (json !== undefined) return json;
  try {
    json = JSON.stringify(value);
  } catch (e) {
    throw invalid(`value is not JSON-serialisable (${(e as Error).message})`, where);
  }
  if (json === undefined) throw invalid(`value is not JSON-serialisable (${typeof value})`, where);
  return json;
}

export function decodeValue<T>(json: string): T {
  return JSON.parse(json) as T;
}

/** `invalid-params`: the call's arguments were wrong, and a key may come straight from a client (a token). */
export function invalid(problem: string, where?: string): AppError {
  return new AppError('invalid-params', `store: ${where ? `${where}: ` : ''}${problem}`);
}
