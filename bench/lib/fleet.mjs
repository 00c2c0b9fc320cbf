/**
 * Starting the processes of a scenario: the server under test (daemon or raw ws baseline) pinned to the server
 * CPUs, and load-generator workers pinned to the load CPUs. Everything started here is stopped by `stopAll`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startProcess } from './ipc.mjs';
import { agentName } from './tokens.mjs';

const BENCH = fileURLToPath(new URL('..', import.meta.url));

export async function startDaemon(run, { name, configYaml, configDir }) {
  await mkdir(configDir, { recursive: true });
  const configPath = join(configDir, 'livechat.yaml');
  await writeFile(configPath, configYaml);
  const proc = await run.track(
    startProcess({ script: join(BENCH, 'daemon-process.mjs'), flags: ['--expose-gc'], cpus: run.serverCpus, logFile: join(run.logDir, `${name}.log`), name }),
  );
  const { url } = await proc.call('start', { configPath }, 60_000);
  return { proc, url, configPath, kind: 'daemon' };
}

export async function startRaw(run, { name, mode, dataDir }) {
  const proc = await run.track(
    startProcess({ script: join(BENCH, 'raw-ws-server.mjs'), flags: ['--expose-gc'], args: [mode, dataDir ?? ''], cpus: run.serverCpus, logFile: join(run.logDir, `${name}.log`), name }),
  );
  const { url } = await proc.call('start');
  return { proc, url, kind: 'raw', mode };
}

export async function startWorkers(run, server, { name, visitorSend }) {
  const workers = await Promise.all(
    Array.from({ length: run.workers }, (_, w) =>
      run.track(startProcess({ script: join(BENCH, 'workers', 'load.mjs'), cpus: run.loadCpus, logFile: join(run.logDir, `${name}-worker${w}.log`), name: `${name}-worker${w}` })),
    ),
  );
  await Promise.all(workers.map((w, i) => w.call('init', { kind: server.kind, url: server.url, runId: run.runId, worker: i, visitorSend })));
  return workers;
}

/** Calls `cmd` on every worker with `args(i)`; resolves with their answers. */
export const onAll = (workers, cmd, args = () => ({}), timeoutMs = 120_000) => Promise.all(workers.map((w, i) => w.call(cmd, args(i), timeoutMs)));

/** Global visitor indexes [from, to) of worker i when `total` visitors are split evenly. */
export const shareOf = (i, count, total) => ({ from: Math.floor((i * total) / count), to: Math.floor(((i + 1) * total) / count) });

export const agentNames = (count) => Array.from({ length: count }, (_, i) => agentName(i));

/** Agents dealt round robin to workers. */
export const agentsOf = (i, count, names) => names.filter((_, k) => k % count === i);

export const sum = (answers, key) => answers.reduce((s, a) => s + (a?.[key] ?? 0), 0);

export const firstErrors = (answers) => answers.flatMap((a) => a?.errors ?? a?.errorSamples ?? []).slice(0, 3);

/** With --profile, records a CPU profile of the daemon while `work` runs (profile-summary.mjs reads it). */
export async function profiled(run, server, name, work) {
  if (!run.profile || server.kind !== 'daemon') return work();
  await server.proc.call('profileStart');
  try {
    return await work();
  } finally {
    const file = await server.proc.call('profileStop', { file: join(run.profileDir, `${name}.cpuprofile`) });
    run.log(`profile written: ${file}`);
  }
}
