/**
 * What the abuse suite (test/security/) shares: a daemon per fixture of test/fixtures/security on a fresh data
 * dir, a raw WebSocket that records frames and its close, raw HTTP for requests fetch() will not send, a
 * prototype-pollution check and a heap reading after GC.
 */
import { request as httpRequest } from 'node:http';
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { WebSocket } from 'ws';
import { expect } from 'vitest';
import { startDaemon, type ExtraOptions, type TestDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/tmp.js';

export interface SecurityDaemon extends TestDaemon {
  /** Stops the daemon and removes its data dir. */
  cleanup(): Promise<void>;
}

/** A daemon for `security/<fixture>.yaml` on a fresh temp dir. */
export async function securityDaemon(fixture: string, env: Record<string, string> = {}, extra: ExtraOptions = {}): Promise<SecurityDaemon> {
  const dir = await tempDir('livechatd-security-');
  const d = await startDaemon(`security/${fixture}.yaml`, { DATA_DIR: dir.path, ...env }, extra);
  return {
    ...d,
    async cleanup() {
      await d.stop();
      await dir.remove();
    },
  };
}

export interface RawSocket {
  ws: WebSocket;
  frames: Record<string, unknown>[];
  opened: Promise<void>;
  closed: Promise<{ code: number; reason: string }>;
  /** The n-th frame (1-based), waiting for it; rejects when the socket closes first. */
  frame(n: number): Promise<Record<string, unknown>>;
  /** The n-th frame of `type` (1-based), whatever else arrives in between (broadcasts); rejects on close. */
  nth(type: string, n: number): Promise<Record<string, unknown>>;
}

/** A WebSocket on `path` that records every frame it receives and how it closed. */
export function rawSocket(url: string, path: string, headers: Record<string, string> = {}): RawSocket {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + path, { headers });
  const frames: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  let isClosed = false;
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString()) as Record<string, unknown>);
    waiters.splice(0).forEach((w) => w());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.on('close', (code, reason) => {
      isClosed = true;
      waiters.splice(0).forEach((w) => w());
      resolve({ code, reason: reason.toString() });
    }),
  );
  const opened = new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
  });
  // After the open, errors (a reset from the server) show as the close.
  opened.catch(() => undefined);
  return {
    ws,
    frames,
    opened,
    closed,
    async frame(n) {
      while (frames.length < n) {
        if (isClosed) throw new Error(`socket closed after ${frames.length} frame(s)`);
        await new Promise<void>((r) => waiters.push(r));
      }
      return frames[n - 1]!;
    },
    async nth(type, n) {
      for (;;) {
        const found = frames.filter((f) => f.type === type);
        if (found.length >= n) return found[n - 1]!;
        if (isClosed) throw new Error(`socket closed after ${found.length} ${type} frame(s)`);
        await new Promise<void>((r) => waiters.push(r));
      }
    },
  };
}

/** A request through node:http, for what fetch() refuses to send (huge heads, raw bytes); answers status and text. */
export function rawHttp(url: string, options: { method?: string; path: string; headers?: Record<string, string>; body?: Buffer | string }): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    // Content-Length always: for DELETE node:http would otherwise send the body unframed.
    const length = options.body === undefined ? {} : { 'content-length': String(Buffer.byteLength(options.body)) };
    const req = httpRequest(url + options.path, { method: options.method ?? 'GET', headers: { ...length, ...options.headers }, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A JSON body through rawHttp, answering the parsed body (every answer of ours is JSON). */
export async function rawJson(url: string, method: string, path: string, body: Buffer | string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await rawHttp(url, { method, path, headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, body: JSON.parse(res.text) as Record<string, unknown> };
}

const STANDARD_PROTOTYPE = Object.getOwnPropertyNames(Object.prototype).sort();

/** Object.prototype has exactly its standard properties, and a fresh object inherits nothing unexpected. */
export function expectPrototypesClean(): void {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(STANDARD_PROTOTYPE);
  const probe = {} as Record<string, unknown>;
  for (const key of ['polluted', 'isAdmin', 'admin', 'role', 'status', 'token']) expect(probe[key], key).toBeUndefined();
  expect(Object.getOwnPropertyNames(Array.prototype)).not.toContain('polluted');
  expect(Object.getOwnPropertyNames(Function.prototype)).not.toContain('polluted');
}

let gc: (() => void) | undefined;

/** heapUsed after full collections (gc is exposed at run time: vitest runs without --expose-gc). */
export function heapAfterGc(): number {
  if (!gc) {
    setFlagsFromString('--expose-gc');
    gc = runInNewContext('gc') as () => void;
  }
  for (let i = 0; i < 3; i++) gc();
  return process.memoryUsage().heapUsed;
}

/** A well-formed visitor token (64 hex characters, like the widget's). */
export { newVisitorToken } from '../helpers/chat.js';
