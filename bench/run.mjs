#!/usr/bin/env node
/**
 * `npm run bench` — every scenario against the built daemon (dist/) and against a minimal raw `ws` server, on
 * 127.0.0.1 only; writes bench/results.json and bench/RESULTS.md. Never part of `npm test`.
 *
 *   npm run bench                 full run (under 10 minutes)
 *   npm run bench -- --quick      smaller counts and shorter windows (about a minute)
 *   options: --only=idle,relay,storm,reload,widget   --no-build   --workers=N   --no-pin   --keep-tmp
 *            --profile   CPU profiles of the daemon during the measured windows, in $TMPDIR/livechatd-bench-profiles
 *                        (read them with `node bench/profile-summary.mjs FILE`)
 *
 * The daemon (or raw server) runs alone in one process pinned to CPU 0; load generators are separate worker
 * processes pinned to the other CPUs. Each scenario has a time limit; when one fails or overruns, its processes are
 * killed and the report says so, and the other scenarios still run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { withTimeout } from './lib/clock.mjs';
import { waitForQuiet } from './lib/cpu.mjs';
import { machineInfo } from './lib/machine.mjs';
import { fileDescriptors } from './lib/process-stats.mjs';
import { renderReport } from './lib/report.mjs';
import { evaluateTargets } from './lib/targets.mjs';

const BENCH = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(BENCH, '..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name) => argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const quick = flag('quick');
const started = Date.now();

/** Each scenario's own time limit, and the least it needs, kept in reserve while earlier scenarios run. */
const SCENARIOS = {
  idle: { module: './scenarios/idle.mjs', fn: 'idleScenario', limitS: quick ? 45 : 200, needsS: quick ? 15 : 90 },
  relay: { module: './scenarios/relay.mjs', fn: 'relayScenario', limitS: quick ? 60 : 220, needsS: quick ? 25 : 100 },
  storm: { module: './scenarios/storm.mjs', fn: 'stormScenario', limitS: quick ? 30 : 80, needsS: quick ? 10 : 25 },
  reload: { module: './scenarios/reload.mjs', fn: 'reloadScenario', limitS: quick ? 30 : 90, needsS: quick ? 10 : 30 },
  widget: { module: './scenarios/widget.mjs', fn: 'widgetScenario', limitS: 40, needsS: 10 },
};
/** The whole run, build included, ends by this many seconds: later scenarios are cut short rather than overrun. */
const BUDGET_S = quick ? 150 : 570;
const only = option('only')?.split(',') ?? Object.keys(SCENARIOS);

function log(message) {
  console.log(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)}s] ${message}`);
}

function build() {
  if (flag('no-build')) return { skipped: true };
  log('building: tsc (server) and widget/build.mjs (widget)');
  const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.json')], { cwd: ROOT, stdio: 'inherit' });
  if (tsc.status !== 0) throw new Error('npm run build failed (tsc); the bench needs a built dist/');
  const widget = spawnSync(process.execPath, [join(ROOT, 'widget/build.mjs')], { cwd: ROOT, encoding: 'utf8' });
  const widgetOutput = `${widget.stdout}${widget.stderr}`.trim();
  if (widget.status !== 0) log(`widget build failed; the widget scenario will say so:\n${widgetOutput}`);
  return { widgetOk: widget.status === 0, widgetOutput };
}

function pinning(workers) {
  const cores = os.cpus().length;
  const canPin = !flag('no-pin') && cores >= 2 && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
  if (!canPin) return { serverCpus: null, loadCpus: null, note: `not pinned (${cores} cores${flag('no-pin') ? ', --no-pin' : ''}); all processes share every core` };
  const loadCpus = cores === 2 ? '1' : `1-${cores - 1}`;
  return {
    serverCpus: '0',
    loadCpus,
    note: `server under test: 1 process pinned to CPU 0 (its main thread and its libuv/LevelDB threads); load generators: ${workers} worker processes pinned to CPU ${loadCpus}; the orchestrator only coordinates`,
  };
}

/**
 * The run as one scenario sees it: every process it starts is tracked, and once it is over (finished, failed or
 * overran) nothing it still does in the background may start another process.
 */
function scenarioRun(run) {
  const procs = new Set();
  let aborted = false;
  const view = {
    ...run,
    async track(promise) {
      const proc = await promise;
      if (aborted) {
        proc.kill();
        throw new Error('scenario aborted');
      }
      procs.add(proc);
      proc.exited.then(() => procs.delete(proc));
      return proc;
    },
  };
  return { view, procs, abort: () => (aborted = true) };
}

async function main() {
  const outDir = BENCH;
  const tmpDir = await mkdtemp(join(os.tmpdir(), 'livechatd-bench-'));
  const logDir = join(tmpDir, 'logs');
  await mkdir(logDir, { recursive: true });
  const workers = Number(option('workers') ?? 2);
  const build_ = build();
  if (!existsSync(join(ROOT, 'dist/daemon/index.js'))) throw new Error('dist/ is missing: run npm run build');
  const pins = pinning(workers);
  const run = {
    quick,
    runId: Math.random().toString(36).slice(2, 10),
    tmpDir,
    logDir,
    outDir,
    workers,
    profile: flag('profile'),
    profileDir: join(os.tmpdir(), 'livechatd-bench-profiles'),
    serverCpus: pins.serverCpus,
    loadCpus: pins.loadCpus,
    build: build_,
    log,
  };
  /** Before a CPU-sensitive measurement, wait for other work on the machine to calm down — from a budget for the run. */
  let quietBudgetMs = quick ? 4_000 : 60_000;
  run.waitForQuiet = async () => {
    const result = await waitForQuiet(Math.min(quietBudgetMs, quick ? 2_000 : 15_000));
    quietBudgetMs -= result.waitedMs;
    return result;
  };
  if (run.profile) await mkdir(run.profileDir, { recursive: true });
  log(`${quick ? 'quick' : 'full'} run${run.profile ? ' with the daemon profiled (numbers include profiler overhead)' : ''}; ${pins.note}; logs in ${logDir}`);

  let failures = 0;
  const results = { meta: { date: new Date().toISOString(), mode: quick ? 'quick' : 'full', machine: machineInfo(), pinning: pins, workers, fileDescriptorLimit: fileDescriptors().soft, profiled: run.profile }, scenarios: {} };
  for (const [index, name] of only.entries()) {
    const spec = SCENARIOS[name];
    if (!spec) throw new Error(`unknown scenario ${name}`);
    const t0 = Date.now();
    const reserve = only.slice(index + 1).reduce((sum, later) => sum + SCENARIOS[later].needsS, 0);
    const limitS = Math.min(spec.limitS, Math.floor(BUDGET_S - (t0 - started) / 1000 - reserve));
    if (limitS < spec.needsS / 2) {
      results.scenarios[name] = { error: `not run: the run's ${BUDGET_S} s budget was used up by the scenarios before it` };
      failures += 1;
      continue;
    }
    log(`scenario ${name} (limit ${limitS} s)`);
    // Scenarios fill `out` as they go, so a scenario that fails or overruns still reports what it measured.
    const out = (results.scenarios[name] = {});
    const { view, procs, abort } = scenarioRun(run);
    try {
      const scenario = (await import(spec.module))[spec.fn];
      await withTimeout(scenario(view, out), limitS * 1000, `did not finish within ${limitS} s`);
    } catch (err) {
      log(`scenario ${name} failed: ${err.stack ?? err}`);
      out.error = String(err.message ?? err).split('\n')[0];
      failures += 1;
    } finally {
      abort();
      for (const proc of procs) proc.kill();
      await Promise.all([...procs].map((p) => p.exited));
      out.seconds = Math.round((Date.now() - t0) / 1000);
    }
  }
  results.meta.durationSeconds = Math.round((Date.now() - started) / 1000);
  results.targets = evaluateTargets(results);
  const only_ = only.length < Object.keys(SCENARIOS).length;
  const jsonPath = join(outDir, only_ ? 'results.partial.json' : 'results.json');
  await writeFile(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
  if (!only_) await writeFile(join(outDir, 'RESULTS.md'), await renderReport(results));
  log(`wrote ${jsonPath}${only_ ? ' (partial run: RESULTS.md left as it was)' : ' and bench/RESULTS.md'}`);
  for (const t of results.targets) log(`${t.pass === null ? 'n/a ' : t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.value} (target ${t.target})${t.contended ? ` — unreliable: ${t.contended}` : ''}`);
  if (failures > 0 || flag('keep-tmp')) log(`process logs kept in ${logDir}`);
  else await rm(tmpDir, { recursive: true, force: true });
}

main().catch((err) => {
  console.error(err.stack ?? err);
  process.exit(1);
});
