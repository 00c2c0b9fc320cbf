/**
 * JSON over HTTP for the client: every livechatd response is JSON, errors included (`{success:false, error,
 * errorType}`), so a failure becomes a `ServerError` with the stable code.
 */
import { ServerError } from './channel.js';

export async function callJson<T>(baseUrl: string, method: string, path: string, options: { body?: unknown; bearer?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (options.bearer !== undefined) headers.authorization = `Bearer ${options.bearer}`;
  const res = await fetch(new URL(path, baseUrl), {
    method,
    headers,
    ...(options.body !== undefined && { body: JSON.stringify(options.body) }),
  });
  const data = (await res.json().catch(() => ({}))) as { success?: boolean; errorType?: string; error?: string };
  if (!res.ok || data.success === false) {
    throw new ServerError(data.errorType ?? `http-${res.status}`, data.error ?? `HTTP ${res.status}`);
  }
  return data as T;
}
