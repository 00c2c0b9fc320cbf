/**
 * Reading JSON request bodies: size-limited while streaming (raw-body), decoded as strict UTF-8 (invalid bytes are
 * refused, not replaced), parsed with secure-json-parse so that `__proto__` and `constructor.prototype` keys are
 * refused before any code can merge them into an object, and nested at most MAX_DEPTH levels. After the schema
 * has accepted the shape, no string (key or value) may hold a NUL or a lone UTF-16 surrogate: neither is text,
 * and both break what lies downstream (C strings, terminals, UTF-8 encoders).
 * Every refusal is an AppError, so the answer is the usual JSON error body. DELETE bodies are read the same way
 * (the Rocket.Chat SDK sends `{rid, token}` with DELETE).
 */
import type Koa from 'koa';
import getRawBody from 'raw-body';
import sjson from 'secure-json-parse';
import { AppError } from '../domain/errors.js';
import type { ConfigSnapshot } from '../config/index.js';
import { badText, MAX_DEPTH, tooDeep } from '../services/input-hygiene.js';
import type { RequestState } from './state.js';
import type { Check } from './validate.js';

/** Plenty for every visitor and agent request at the default livechat.messageMaxLength (5000). */
export const DEFAULT_BODY_LIMIT = 64 * 1024;

/**
 * The limit for a request under `config`: a message of messageMaxLength characters must always fit, and UTF-8
 * needs up to 3 bytes per character (UTF-16 unit), so a larger configured maximum raises the limit with it.
 */
export function bodyLimitFor(config: ConfigSnapshot): number {
  return Math.max(DEFAULT_BODY_LIMIT, config.livechat.messageMaxLength * 3 + 4096);
}

/** The parsed body; no body at all reads as `{}`, so the schema says which fields are missing. */
export async function readJson(ctx: Koa.ParameterizedContext, limit = DEFAULT_BODY_LIMIT): Promise<unknown> {
  const chunked = ctx.get('transfer-encoding') !== '';
  if (!chunked && !ctx.request.length) return {};
  if (!ctx.is('json', '+json')) {
    throw new AppError('invalid-params', 'Match error: the request body must be JSON (Content-Type: application/json)');
  }
  const charset = ctx.request.charset.toLowerCase();
  if (charset !== '' && charset !== 'utf-8' && charset !== 'utf8') {
    throw new AppError('invalid-params', 'Match error: the request body must be UTF-8 JSON');
  }
  const text = await readText(ctx, limit);
  if (text.trim() === '') return {};
  const value = parse(text);
  if (typeof value === 'object' && value !== null && tooDeep(value)) {
    throw new AppError('invalid-params', `Match error: the request body is nested more than ${MAX_DEPTH} levels deep`);
  }
  return value;
}

/** The body, read within the limit of the request's configuration, checked against its schema, then for text hygiene. */
export async function jsonBody<T>(ctx: Koa.ParameterizedContext<RequestState>, check: Check<T>): Promise<T> {
  const value = check(await readJson(ctx, bodyLimitFor(ctx.state.config)));
  const problem = badText(value, 'body');
  if (problem) throw new AppError('invalid-params', `Match error: ${problem}`);
  return value;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

async function readText(ctx: Koa.ParameterizedContext, limit: number): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await getRawBody(ctx.req, { limit, ...(ctx.request.length !== undefined && { length: ctx.request.length }) });
  } catch (err) {
    if ((err as { type?: unknown }).type === 'entity.too.large') {
      // The rest of the body was never read; closing spares Node draining it to reuse the connection.
      ctx.set('Connection', 'close');
      throw new AppError('payload-too-large', `Request body larger than ${limit} bytes`);
    }
    throw new AppError('invalid-params', 'Match error: the request body could not be read completely');
  }
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new AppError('invalid-params', 'Match error: the request body is not valid UTF-8');
  }
}

function parse(text: string): unknown {
  try {
    return sjson.parse(text, null, { protoAction: 'error', constructorAction: 'error' });
  } catch (err) {
    const message = (err as Error).message;
    if (message === 'Object contains forbidden prototype property') {
      throw new AppError('invalid-params', 'Match error: the request body must not contain "__proto__" or "constructor.prototype" keys');
    }
    // V8's own message may quote the input (which may hold a token); keep only where it broke.
    const at = /at position (\d+)/.exec(message)?.[1];
    throw new AppError('invalid-params', `Match error: the request body is not valid JSON${at === undefined ? '' : ` (at position ${at})`}`);
  }
}
