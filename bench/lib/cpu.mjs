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
      out.machine = { coresBusy: Number(((machine1.busy - machine0.busy) / ticksPerSecond / wall).toFixed(2)) };
      return out;
    },
  };
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
  return `server ${c.server.cores} cores (waited ${c.server.waitingForCpu}), generators ${c.generators.cores} (waited ${c.generators.waitingForCpu}), machine ${c.machine.coresBusy} busy`;
}
