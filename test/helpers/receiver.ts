/**
 * A webhook receiver for tests: node:http on 127.0.0.1, port 0 (or a port it had before, to come back "up"
 * where it was "down"). It records every request and answers from a script: a status, or `hang` (never
 * answer; the connection is cut when the receiver closes). A 3xx answer points `Location` at /redirected, where
 * a client that followed redirects would show up. Tests wait on requests arriving — no sleeps.
 *
 * Also here: what a receiver checks — the JSON Schemas of schemas/webhooks/ and the Standard Webhooks signature.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';

export interface Received {
  /** 1-based, in arrival order. */
  n: number;
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  text: string;
  body: any;
  /** What the receiver answered: a status, or 'hang'. */
  answer: number | 'hang';
}

export type Answer = number | 'hang';
export type Script = (request: Omit<Received, 'answer'>) => Answer;

export class Receiver {
  readonly requests: Received[] = [];
  #server: Server | undefined;
  #port = 0;
  #script: Script = () => 200;
  #waiters: { test: () => boolean; resolve: () => void }[] = [];
  readonly #hanging = new Set<ServerResponse>();

  /** Starts listening (again on the previous port when it had one). */
  async listen(): Promise<this> {
    const server = createServer((req, res) => void this.#handle(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.#port, '127.0.0.1', () => resolve());
    });
    this.#port = (server.address() as AddressInfo).port;
    this.#server = server;
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}/hook`;
  }

  /** How the receiver answers from now on. */
  answer(script: Script | Answer): void {
    this.#script = typeof script === 'function' ? script : () => script;
  }

  /** Requests left hanging and not yet cut. */
  get hanging(): number {
    return this.#hanging.size;
  }

  /** Resolves once `test` holds over the requests received (checked on each arrival and each hang cut short). */
  until(test: (requests: Received[]) => boolean): Promise<Received[]> {
    const check = () => test(this.requests);
    if (check()) return Promise.resolve(this.requests);
    return new Promise((resolve) => this.#waiters.push({ test: check, resolve: () => resolve(this.requests) }));
  }

  /** Resolves with the requests once at least `count` have arrived. */
  received(count: number): Promise<Received[]> {
    return this.until((requests) => requests.length >= count);
  }

  /** Requests answered 2xx, i.e. deliveries. */
  delivered(): Received[] {
    return this.requests.filter((r) => typeof r.answer === 'number' && r.answer >= 200 && r.answer < 300);
  }

  /** Stops listening and cuts hanging requests: the receiver is "down" until listen() again. */
  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    this.#server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    this.#hanging.clear();
    await closed;
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const request = { n: this.requests.length + 1, method: req.method ?? '', path: req.url ?? '', headers: req.headers, text, body };
    const answer = this.#script(request);
    this.requests.push({ ...request, answer });
    if (answer === 'hang') {
      this.#hanging.add(res);
      res.on('close', () => {
        this.#hanging.delete(res);
        this.#notify();
      });
    } else {
      const location = answer >= 300 && answer < 400 ? { location: '/redirected' } : {};
      res.writeHead(answer, { 'content-type': 'application/json', ...location }).end(JSON.stringify({ ok: answer < 300 }));
    }
    this.#notify();
  }

  #notify(): void {
    for (const waiter of [...this.#waiters]) {
      if (waiter.test()) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}

export async function startReceiver(script: Script | Answer = 200): Promise<Receiver> {
  const receiver = await new Receiver().listen();
  receiver.answer(script);
  return receiver;
}

/** The Standard Webhooks check a receiver makes: HMAC-SHA256 of "id.timestamp.body", keyed with the secret's bytes. */
export function signatureValid(request: Pick<Received, 'headers' | 'text'>, secret: string): boolean {
  const id = String(request.headers['webhook-id']);
  const timestamp = String(request.headers['webhook-timestamp']);
  const expected = createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${id}.${timestamp}.${request.text}`).digest();
  const given = String(request.headers['webhook-signature'] ?? '')
    .split(' ')
    .filter((part) => part.startsWith('v1,'))
    .map((part) => Buffer.from(part.slice(3), 'base64'));
  return given.some((mac) => mac.length === expected.length && timingSafeEqual(mac, expected));
}

const SCHEMAS = new URL('../../schemas/webhooks/', import.meta.url);
const ajv = new Ajv({ allErrors: true, strict: true });
addFormats.default(ajv, ['date-time']);
for (const file of readdirSync(SCHEMAS)) ajv.addSchema(JSON.parse(readFileSync(new URL(file, SCHEMAS), 'utf8')) as object);

/** Payload `type` → its schema file. */
const SCHEMA_OF: Record<string, string> = {
  LivechatSession: 'livechat-session.json',
  LivechatOfflineMessage: 'livechat-offline-message.json',
  LivechatSessionStart: 'livechat-session-start.json',
  LivechatSessionQueued: 'livechat-session-queued.json',
  LivechatSessionTaken: 'livechat-session-taken.json',
  LivechatSessionForwarded: 'livechat-session-forwarded.json',
  Message: 'message.json',
};

/** The schema errors of a payload, as readable strings (empty when valid). */
export function schemaErrors(payload: { type?: unknown }): string[] {
  const file = SCHEMA_OF[String(payload.type)];
  if (!file) return [`no schema for type ${JSON.stringify(payload.type)}`];
  const validate = ajv.getSchema(`https://livechatd.dev/schemas/webhooks/${file}`)!;
  if (validate(payload)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

/**
 * For what a receiver cannot see (a job leaving the outbox, a dead letter appearing): asks `probe` until it
 * returns something other than undefined, a bounded number of times, a few milliseconds apart.
 */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, tries = 500): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** The value of one sample of the daemon's /metrics, e.g. `livechat_webhook_delivered_total{webhook="crm"}`; 0 when absent. */
export async function metricValue(daemonUrl: string, sample: string): Promise<number> {
  const text = await (await fetch(`${daemonUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  return line === undefined ? 0 : Number(line.slice(sample.length + 1));
}
