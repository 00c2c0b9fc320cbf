/**
 * Talking to a running daemon's admin API as a manager: the server from `--server`, `LIVECHAT_SERVER` or the
 * default; the user from `--user` or `LIVECHAT_USER`; the password from `LIVECHAT_PASSWORD` or a no-echo prompt.
 */
import { callJson } from '../client/http.js';
import { CliExit } from './fail.js';
import { readSecret } from './read-secret.js';

export const DEFAULT_SERVER = 'http://127.0.0.1:3000';

export interface AdminOptions {
  server?: string;
  user?: string;
}

export interface AdminSession {
  server: string;
  call<T>(method: string, path: string, body?: unknown): Promise<T>;
}

export async function adminSession(options: AdminOptions): Promise<AdminSession> {
  const server = options.server ?? process.env.LIVECHAT_SERVER ?? DEFAULT_SERVER;
  const user = options.user ?? process.env.LIVECHAT_USER;
  if (!user) throw new CliExit(1, 'which manager? pass --user NAME or set LIVECHAT_USER');
  const password = process.env.LIVECHAT_PASSWORD ?? (await readSecret(`Password for ${user}: `));
  const login = await callJson<{ token: string }>(server, 'POST', '/api/v1/agent/login', { body: { username: user, password } }).catch((err: Error) => {
    throw new CliExit(1, `cannot log in to ${server} as ${user}: ${err.message}`);
  });
  return {
    server,
    call: (method, path, body) => callJson(server, method, path, { bearer: login.token, ...(body !== undefined && { body }) }),
  };
}
