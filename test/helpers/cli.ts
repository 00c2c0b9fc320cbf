/**
 * Runs the built binaries as a user would: `node bin/livechatd.js ...` in a subprocess.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function spawnCli(bin: 'livechatd' | 'livechat', args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [`bin/${bin}.js`, ...args], {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: 'pipe',
  });
}

/** Runs to completion, feeding `input` on stdin. */
export function runCli(bin: 'livechatd' | 'livechat', args: string[], options: { env?: Record<string, string>; input?: string } = {}): Promise<CliResult> {
  const child = spawnCli(bin, args, options.env);
  child.stdin.end(options.input ?? '');
  return collect(child);
}

export function collect(child: ChildProcessWithoutNullStreams): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

/** Resolves with the first JSON log line on stdout whose `msg` equals `msg`. */
export function waitForLog(child: ChildProcessWithoutNullStreams, msg: string): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    const onExit = (code: number | null) => reject(new Error(`process exited (${code}) before logging "${msg}"`));
    child.once('exit', onExit);
    lines.on('line', (line) => {
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      if (entry.msg === msg) {
        child.off('exit', onExit);
        lines.close();
        child.stdout.resume(); // closing readline paused the stream; other readers still need it flowing
        resolve(entry);
      }
    });
  });
}
