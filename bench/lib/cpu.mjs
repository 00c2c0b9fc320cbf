/**
 * CPU time of processes from /proc/<pid>/stat (utime + stime, all threads), so the report can say how many cores
 * each side actually used during a measurement window.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

let ticksPerSecond = 100;
try {
  ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
} catch {
  // keep the Linux default
}

function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond; // utime, stime (fields 14 and 15)
  } catch {
    return 0;
  }
}

/** Seconds the threads of `pid` were runnable but waiting for a CPU (/proc/<pid>/task/<tid>/schedstat, 2nd field). */
function waitSeconds(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`).reduce((s, tid) => {
      try {
        return s + Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[1]) / 1e9;
      } catch {
        return s;
      }
    }, 0);
  } catch {
    return 0;
  }
}

const total = (pids, f) => pids.reduce((s, p) => s + f(p), 0);

/**
 * Starts measuring; `stop()` returns, per group of pids, the cores used (CPU seconds / wall seconds) and how long
 * its threads sat runnable waiting for a CPU (also per wall second) — high when other work on the machine, or
 * the other side of the benchmark, competes for the same cores.
 */
export function cpuMeter(groups) {
  const t0 = performance.now();
  const entries = Object.entries(groups);
  const start = entries.map(([, pids]) => [total(pids, cpuSeconds), total(pids, waitSeconds)]);
  const machine0 = machineBusy();
  return {
    stop() {
      const wall = (performance.now() - t0) / 1000;
      const out = Object.fromEntries(
        entries.map(([k, pids], i) => [
          k,
          { cores: Number(((total(pids, cpuSeconds) - start[i][0]) / wall).toFixed(2)), waitingForCpu: Number(((total(pids, waitSeconds) - start[i][1]) / wall).toFixed(2)) },
        ]),
      );
      const machine1 = machineBusy();
      const coresBusy = (machine1.busy - machine0.busy) / ticksPerSecond / wall;
      const ours = entries.reduce((s, [k]) => s + out[k].cores, 0);
      // What the rest of the machine (other users' work) took meanwhile; above CONTENDED the numbers are suspect.
      out.machine = { coresBusy: Number(coresBusy.toFixed(2)), others: Number(Math.max(0, coresBusy - ours).toFixed(2)) };
      out.contended = out.machine.others > CONTENDED;
      return out;
    },
  };
}

/** Cores of other work beyond which a measurement is flagged as taken on a contended machine. */
export const CONTENDED = 0.25;

/**
 * Waits (at most `maxMs`) until the machine has been nearly idle for a second — between measurements our own
 * processes are idle, so what is busy then is other work — and says how long it waited and how busy it was.
 */
export async function waitForQuiet(maxMs) {
  const started = performance.now();
  let busy = Infinity;
  while (performance.now() - started < maxMs) {
    const a = machineBusy();
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    busy = (machineBusy().busy - a.busy) / ticksPerSecond;
    if (busy < CONTENDED / 2) break;
  }
  return { waitedMs: Math.round(performance.now() - started), busyBefore: Number(busy.toFixed(2)) };
}

/** Busy CPU ticks of the whole machine (every process, ours and others'), from /proc/stat. */
function machineBusy() {
  try {
    const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    const idle = fields[3] + fields[4];
    return { busy: fields.slice(0, 8).reduce((a, b) => a + b, 0) - idle };
  } catch {
    return { busy: 0 };
  }
}

/** The affinity list of a pid as taskset reports it (e.g. "0" or "0,1"). */
export function affinityOf(pid) {
  try {
    return execFileSync('taskset', ['-cp', String(pid)]).toString().split(':').pop().trim();
  } catch {
    return 'unknown';
  }
}

/** `server 0.98 cores (waited 0.01), generators 0.61 (waited 0.02), machine 1.7 busy` */
export function coresText(c) {
  const others = c.contended ? ` — CONTENDED: other work used ${c.machine.others} cores` : '';
  return `server ${c.server.cores} cores (waited ${c.server.waitingForCpu}), generators ${c.generators.cores} (waited ${c.generators.waitingForCpu}), machine ${c.machine.coresBusy} busy${others}`;
}
