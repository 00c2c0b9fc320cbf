/**
 * Scenario 4 — config reload: a generated config with 1,000 agents, 100 departments and 200 triggers, reloaded
 * again and again by the daemon while it serves chats (50 agents and N visitors connected), alternating between
 * two variants so every reload is applied: read → parse → validate → semantic checks → compile → commit →
 * reconfigure live chats and tell every connected widget. Compared with reading + parsing + validating the same
 * YAML alone. The longest event-loop stall is taken from monitorEventLoopDelay in the daemon.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { reloadConfigs } from '../lib/configs.mjs';
import { firstErrors, onAll, profiled, shareOf, startDaemon, startWorkers, sum } from '../lib/fleet.mjs';
import { startProcess } from '../lib/ipc.mjs';
import { summarize } from '../lib/stats.mjs';
import { coresText, cpuMeter } from '../lib/cpu.mjs';

const WARMUP = 2;

export async function reloadScenario(run, out) {
  const iterations = run.quick ? 10 : 40;
  const visitors = run.quick ? 200 : 1000;
  const dir = join(run.tmpDir, 'reload-config');
  const configs = await reloadConfigs({ dataDir: join(run.tmpDir, 'reload-data') });
  // 50 online agents, five in each of the ten departments offered at registration.
  const online = configs.agents.filter((_, i) => i % 100 < 10 && i < 500);
  const departments = Array.from({ length: 10 }, (_, d) => `dept${d}`);
  Object.assign(out, { agents: configs.agents.length, departments: 100, triggers: 200, yamlBytes: Buffer.byteLength(configs.a), onlineAgents: online.length, visitors, iterations });

  const daemon = await startDaemon(run, { name: 'reload-daemon', configYaml: configs.a, configDir: dir });
  const workers = await startWorkers(run, daemon, { name: 'reload' });
  const joined = await onAll(workers, 'agents', (i) => ({ names: online.filter((_, k) => k % run.workers === i) }));
  const created = await onAll(workers, 'createVisitors', (i) => ({ ...shareOf(i, run.workers, visitors), departments }), 300_000);
  const connected = await onAll(workers, 'connectVisitors', () => ({ upTo: visitors }), 300_000);
  const failed = sum(joined, 'failed') + sum(created, 'failed') + sum(connected, 'failed');
  if (failed > 0) throw new Error(`reload: setup failed for ${failed} clients: ${firstErrors([...joined, ...created, ...connected])}`);
  run.log(`reload: ${online.length} agents and ${sum(connected, 'connected')} visitors connected; ${iterations} reloads of a ${(out.yamlBytes / 1024).toFixed(0)} KiB config`);

  out.quiet = await run.waitForQuiet();
  const meter = cpuMeter({ server: [daemon.proc.pid], generators: workers.map((w) => w.pid) });
  const all = await profiled(run, daemon, 'reload', () =>
    daemon.proc.call('reloads', { configPath: daemon.configPath, variants: [configs.a, configs.b], iterations: iterations + WARMUP }, 120_000),
  );
  out.cores = meter.stop();
  // The first reloads also pay for compiling the pipeline's code paths; they are reported, not counted.
  out.firstReloads = all.slice(0, WARMUP).map((s) => ({ ms: s.ms, stallMs: s.stallMs }));
  const samples = all.slice(WARMUP);
  const outcomes = {};
  for (const s of all) outcomes[s.outcome] = (outcomes[s.outcome] ?? 0) + 1;
  out.outcomes = outcomes;
  out.refusals = samples.filter((s) => s.errors).slice(0, 1).flatMap((s) => s.errors);
  out.reload = summarize(samples.map((s) => s.ms));
  out.stall = summarize(samples.map((s) => s.stallMs));
  run.log(`reload: p50 ${out.reload.p50.toFixed(1)} ms, p99 ${out.reload.p99.toFixed(1)} ms, longest stall ${out.stall.max.toFixed(1)} ms (${JSON.stringify(outcomes)}); ${coresText(out.cores)}`);
  await Promise.all([...workers, daemon.proc].map((p) => p.stop()));

  const files = [join(dir, 'baseline-a.yaml'), join(dir, 'baseline-b.yaml')];
  await writeFile(files[0], configs.a);
  await writeFile(files[1], configs.b);
  const alone = await runAlone(run, 'parse-validate', { files, iterations: iterations + WARMUP });
  out.parseValidate = summarize(alone.samples.slice(WARMUP));
  out.parseValidateCores = alone.cores;
  out.phases = await phaseBreakdown(run, files, iterations);
  out.ratioP50 = out.reload.p50 / out.parseValidate.p50;
  out.ratioP99 = out.reload.p99 / out.parseValidate.p99;
  run.log(`reload: parse + validate alone p50 ${out.parseValidate.p50.toFixed(1)} ms, p99 ${out.parseValidate.p99.toFixed(1)} ms${out.parseValidateCores.contended ? ' (CONTENDED)' : ''}`);
}

/** Runs bench/workers/<name>.mjs alone on the daemon's CPU and returns what its `run` command answered. */
async function runAlone(run, name, args) {
  const proc = await run.track(
    startProcess({ script: fileURLToPath(new URL(`../workers/${name}.mjs`, import.meta.url)), cpus: run.serverCpus, logFile: join(run.logDir, `reload-${name}.log`), name }),
  );
  await run.waitForQuiet();
  const meter = cpuMeter({ server: [proc.pid], generators: [] });
  try {
    const samples = await proc.call('run', args, 120_000);
    return { samples, cores: meter.stop() };
  } finally {
    await proc.stop();
  }
}

/** p50 per phase of the product's config pipeline on the same files (null when its internals have moved). */
async function phaseBreakdown(run, files, iterations) {
  try {
    const { samples: phases } = await runAlone(run, 'reload-phases', { files, iterations: iterations + WARMUP });
    return Object.fromEntries(Object.entries(phases).map(([name, samples]) => [name, summarize(samples.slice(WARMUP)).p50]));
  } catch (err) {
    run.log(`reload: phase breakdown unavailable: ${String(err.message ?? err).split('\n')[0]}`);
    return null;
  }
}
