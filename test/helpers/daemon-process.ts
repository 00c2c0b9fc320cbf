/**
 * The built daemon as a child process (`node bin/livechatd.js serve`), for tests that kill it: it learns its
 * port from the `livechatd listening` log line (the config says 127.0.0.1:0), and a failed start throws with the
 * daemon's own stderr line, so "the store did not open" reads as such in the test output.
 */
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { collect, spawnCli, waitForLog, type CliResult } from './cli.js';

export interface DaemonProcess {
  url: string;
  pid: number;
  /** For waitForLog() on what the daemon reports later. */
  child: ChildProcessWithoutNullStreams;
  /** Settles when the process has exited, with everything it printed. */
  exited: Promise<CliResult>;
  /** SIGKILL: no shutdown code runs, exactly like a crash or the OOM killer. */
  kill9(): Promise<CliResult>;
  /** SIGTERM: the clean stop a supervisor asks for. */
  stop(): Promise<CliResult>;
}

export async function spawnDaemon(configPath: string, env: Record<string, string>): Promise<DaemonProcess> {
  const child = spawnCli('livechatd', ['serve', '--config', configPath], env);
  const exited = collect(child);
  let listening: Record<string, unknown>;
  try {
    listening = await waitForLog(child, 'livechatd listening');
  } catch {
    const result = await exited;
    throw new Error(`livechatd did not start (exit ${result.code ?? result.signal}): ${result.stderr.trim() || result.stdout.slice(-500)}`);
  }
  const signal = (name: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(name);
    return exited;
  };
  return { url: String(listening.url), pid: child.pid!, child, exited, kill9: () => signal('SIGKILL'), stop: () => signal('SIGTERM') };
}

/** Rejects after `ms` with a message naming what never happened: a bound on a wait, never a way to wait. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`gave up after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}
