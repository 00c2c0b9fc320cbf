/**
 * Worker-thread entry: runs validateConfig() for the coordinator, so a reload's parsing and checking (the bulk of
 * its CPU time, and of its garbage) never runs on the thread that serves chats. Answers every request, in order.
 */
import { parentPort } from 'node:worker_threads';
import { validateConfig, type LoadOptions, type ValidationResult } from './index.js';

export interface ValidateRequest {
  id: number;
  path: string;
  options: LoadOptions;
}

export type ValidateReply = { id: number; result: ValidationResult } | { id: number; failure: string };

parentPort?.on('message', (request: ValidateRequest) => {
  validateConfig(request.path, request.options).then(
    (result) => parentPort?.postMessage({ id: request.id, result } satisfies ValidateReply),
    (err: unknown) => parentPort?.postMessage({ id: request.id, failure: err instanceof Error ? err.message : String(err) } satisfies ValidateReply),
  );
});
