/**
 * Request/response over Node's IPC channel between the orchestrator (bench/run.mjs) and the processes it starts
 * (daemon, raw ws server, load generators). Every call has a time limit, so a stuck child cannot hang the run.
 */
import { spawn } from 'node:child_process';
import { openSync, closeSync } from 'node:fs';

/** Child side: answers `{id, cmd, args}` with `{id, ok, result | error}` and says `{ready: true}` once listening. */
export function serve(handlers) {
  process.on('message', async (m) => {
    if (!m || m.id === undefined) return;
    try {
      const handler = handlers[m.cmd];
      if (!handler) throw new Error(`unknown command ${m.cmd}`);
      const result = await handler(m.args ?? {});
      process.send({ id: m.id, ok: true, result: result ?? null });
    } catch (err) {
      process.send({ id: m.id, ok: false, error: err instanceof Error ? err.stack ?? err.message : String(err) });
    }
  });
  process.on('disconnect', () => process.exit(0)); // the orchestrator went away: never linger
  process.send({ ready: true });
}

/**
 * Starts `node [flags] script` pinned to `cpus` (via taskset, when given), logging to `logFile`, with an IPC
 * channel. Resolves once the child said it is ready.
 */
export async function startProcess({ script, flags = [], args = [], cpus, logFile, name, readyTimeoutMs = 20_000 }) {
  const fd = openSync(logFile, 'a');
  const node = [process.execPath, ...flags, script, ...args];
  const [command, ...argv] = cpus ? ['taskset', '-c', cpus, ...node] : node;
  const child = spawn(command, argv, { stdio: ['ignore', fd, fd, 'ipc'], env: { ...process.env, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? '4' } });
  closeSync(fd);
  const pending = new Map();
  let nextId = 0;
  let exitInfo = null;
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve((exitInfo = { code, signal }))));
  exited.then(() => {
    for (const p of pending.values()) p.reject(new Error(`${name} exited (${JSON.stringify(exitInfo)}); see ${logFile}`));
    pending.clear();
  });
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start within ${readyTimeoutMs} ms; see ${logFile}`)), readyTimeoutMs);
    child.on('message', (m) => {
      if (m?.ready) {
        clearTimeout(timer);
        resolve();
        return;
      }
      const p = pending.get(m?.id);
      if (!p) return;
      pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(`${name}: ${m.error}`));
    });
    exited.then(() => reject(new Error(`${name} exited before it was ready; see ${logFile}`)));
  });
  await ready;
  return {
    name,
    pid: child.pid,
    logFile,
    exited,
    call(cmd, callArgs = {}, timeoutMs = 60_000) {
      if (exitInfo) return Promise.reject(new Error(`${name} has exited; see ${logFile}`));
      const id = ++nextId;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`${name}: ${cmd} took longer than ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, { resolve, reject, timer });
        child.send({ id, cmd, args: callArgs });
      });
    },
    /** Asks nicely (`stop` command), then SIGKILLs this child by its pid if it has not exited in `graceMs`. */
    async stop(graceMs = 5_000) {
      if (exitInfo) return;
      this.call('stop', {}, graceMs).catch(() => undefined);
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    kill() {
      if (!exitInfo) child.kill('SIGKILL');
    },
  };
}
