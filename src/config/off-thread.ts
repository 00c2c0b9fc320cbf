/**
 * loadConfig() with its read, parse and checks on a worker thread; only the compile (lookups, regexes, freezing —
 * a few milliseconds) runs on the calling thread. The worker starts with the first load and stays (unref'd) for
 * the next ones until close().
 *
 * The worker runs the built code (dist/config/validate-worker.js, reached the same way from src/ and dist/, as
 * the schema is). Where that file does not exist — an unbuilt checkout — loads run in the calling thread.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { compileValidated, loadConfig, type LoadOptions, type LoadResult } from './index.js';
import type { ValidateReply, ValidateRequest } from './validate-worker.js';

const WORKER = fileURLToPath(new URL('../../dist/config/validate-worker.js', import.meta.url));

type Pending = Map<number, { resolve: (reply: ValidateReply) => void; reject: (err: Error) => void }>;

export class OffThreadLoader {
  /** The worker, and the requests it holds: a worker that dies fails its own requests, never a successor's. */
  #current: { worker: Worker; pending: Pending } | undefined;
  #next = 0;

  async load(path: string, options: LoadOptions = {}): Promise<LoadResult> {
    if (!existsSync(WORKER)) return loadConfig(path, options);
    const reply = await this.#ask({ id: this.#next++, path, options: { ...options, env: { ...(options.env ?? process.env) } } });
    if ('failure' in reply) throw new Error(reply.failure);
    return compileValidated(reply.result);
  }

  async close(): Promise<void> {
    const current = this.#current;
    this.#current = undefined;
    await current?.worker.terminate();
  }

  #ask(request: ValidateRequest): Promise<ValidateReply> {
    const { worker, pending } = (this.#current ??= this.#start());
    return new Promise((resolve, reject) => {
      pending.set(request.id, { resolve, reject });
      worker.postMessage(request);
    });
  }

  #start(): { worker: Worker; pending: Pending } {
    const worker = new Worker(WORKER);
    const pending: Pending = new Map();
    const current = { worker, pending };
    worker.unref();
    worker.on('message', (reply: ValidateReply) => {
      pending.get(reply.id)?.resolve(reply);
      pending.delete(reply.id);
    });
    // A dead worker fails what it held; the next load starts a new one.
    const fail = (err: Error) => {
      if (this.#current === current) this.#current = undefined;
      for (const request of pending.values()) request.reject(err);
      pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`configuration worker exited (${code})`)));
    return current;
  }
}
