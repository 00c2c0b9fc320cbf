#!/usr/bin/env node
/**
 * The daemon under test, alone in its own process (the orchestrator pins it to one CPU): the built product from
 * dist/, started with createDaemon() exactly as `livechatd serve` composes it (the same V8 settings, LevelDB store,
 * logs at info as JSON lines to stdout, which the orchestrator sends to a file). Driven over IPC by bench/run.mjs.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { writeHeapSnapshot } from 'node:v8';
import { loadConfig, formatIssue } from '../dist/config/index.js';
import { tuneForServing } from '../dist/cli/runtime.js';
import { createDaemon } from '../dist/daemon/index.js';
import { createLogger } from '../dist/telemetry/logger.js';
import { sleep } from './lib/clock.mjs';
import { serve } from './lib/ipc.mjs';
import { fileDescriptors, memoryAfterGc } from './lib/process-stats.mjs';

let daemon = null;
let profiler = null;

serve({
  async start({ configPath }) {
    tuneForServing();
    const loaded = await loadConfig(configPath, { env: process.env });
    if (!loaded.ok) throw new Error(`bench config is invalid:\n${loaded.errors.map(formatIssue).join('\n')}`);
    daemon = createDaemon({ config: loaded.config, configPath, logger: createLogger({ level: 'info' }), watchConfig: false, shutdownGraceMs: 1_000 });
    await daemon.start();
    return { url: daemon.addr().url, pid: process.pid };
  },

  mem: () => memoryAfterGc(),
  fds: () => fileDescriptors(),

  /**
   * Full reloads alternating between two variants of the config file: each iteration writes the other variant
   * (not timed), lets the loop settle, then times daemon.reload() and records the longest event-loop stall seen
   * from just before the reload until `settleMs` after it resolved (fan-out of config.changed included).
   */
  async reloads({ configPath, variants, iterations, settleMs = 30 }) {
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const samples = [];
    for (let i = 0; i < iterations; i += 1) {
      writeFileSync(configPath, variants[(i + 1) % 2]);
      await sleep(settleMs);
      delay.reset();
      const started = performance.now();
      const outcome = await daemon.reload();
      const ms = performance.now() - started;
      await sleep(settleMs);
      samples.push({ ms, stallMs: delay.max / 1e6, outcome: outcome.outcome, ...(outcome.errors && { errors: outcome.errors.slice(0, 3) }) });
    }
    delay.disable();
    return samples;
  },

  /** CPU profile of a measured window only (`npm run bench -- --profile`), written as a .cpuprofile. */
  async profileStart() {
    profiler = new Session();
    profiler.connect();
    await profiler.post('Profiler.enable');
    await profiler.post('Profiler.setSamplingInterval', { interval: 200 });
    await profiler.post('Profiler.start');
    return true;
  },
  async profileStop({ file }) {
    const { profile } = await profiler.post('Profiler.stop');
    profiler.disconnect();
    profiler = null;
    writeFileSync(file, JSON.stringify(profile));
    return file;
  },

  /** A heap snapshot (after a full GC), for bench/heap-diff.mjs. */
  async heapSnapshot({ file }) {
    await memoryAfterGc();
    return writeHeapSnapshot(file);
  },

  async stop() {
    await daemon?.stop();
    setTimeout(() => process.exit(0), 10);
    return true;
  },
});
