/**
 * One delivery attempt: a POST of the frozen payload with a time limit. Delivered means a 2xx status within
 * `timeoutSeconds`; anything else — another status (redirects included: they are not followed, a receiver that
 * moved must be reconfigured), the time limit, a refused connection, a failed DNS lookup — throws
 * `AttemptFailed`, whose `detail` is safe to log (a status or an error code, never the URL or a header).
 */
import type { DeepReadonly } from '../config/compile.js';
import type { Webhook } from '../config/schema-types.js';
import type { DeliveryJob } from './jobs.js';
import { deliveryHeaders } from './signer.js';

export class AttemptFailed extends Error {
  constructor(
    readonly detail: { status: number } | { error: string },
  ) {
    super('status' in detail ? `HTTP ${detail.status}` : detail.error);
  }
}

/** Resolves when delivered. `stop` aborts the request when the daemon stops; it then rejects with stop's reason. */
export async function attempt(hook: DeepReadonly<Webhook>, job: DeliveryJob, stop: AbortSignal, now: Date): Promise<void> {
  const body = JSON.stringify(job.payload);
  const headers = deliveryHeaders({ id: job.id, timestamp: Math.floor(now.getTime() / 1000), body, secretToken: hook.secretToken });
  const timeout = AbortSignal.timeout(hook.timeoutSeconds * 1000);
  let response: Response;
  try {
    response = await fetch(hook.url, { method: 'POST', headers, body, redirect: 'manual', signal: AbortSignal.any([stop, timeout]) });
  } catch (err) {
    if (stop.aborted) throw stop.reason;
    throw new AttemptFailed({ error: timeout.aborted ? `timeout after ${hook.timeoutSeconds}s` : errorCode(err) });
  }
  // The answer's body is not needed; cancelling it frees the connection.
  await response.body?.cancel().catch(() => undefined);
  if (response.status < 200 || response.status > 299) throw new AttemptFailed({ status: response.status });
}

/**
 * `ECONNREFUSED`, `ENOTFOUND`, `UND_ERR_SOCKET`, ... from undici's `fetch failed` cause chain. Messages are not
 * used: some quote the URL, which may hold a credential.
 */
function errorCode(err: unknown): string {
  for (let cause = err; cause instanceof Error; cause = cause.cause) {
    const code = (cause as NodeJS.ErrnoException).code;
    if (typeof code === 'string' && code !== '') return code;
  }
  return err instanceof Error ? err.name : 'request failed';
}
