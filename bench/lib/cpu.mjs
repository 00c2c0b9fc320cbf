/**
 * CPU time of processes from /proc/<pid>/stat (utime + stime, all threads), so the report can say how many cores
 * each side actually used during a measurement window.
 */
import { readFileSync } from 'node:fs';
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

/** Starts measuring; `stop()` returns the cores used (CPU seconds / wall seconds) by each group of pids. */
export function cpuMeter(groups) {
  const t0 = performance.now();
  const start = Object.fromEntries(Object.entries(groups).map(([k, pids]) => [k, pids.reduce((s, p) => s + cpuSeconds(p), 0)]));
  return {
    stop() {
      const wall = (performance.now() - t0) / 1000;
      return Object.fromEntries(
        Object.entries(groups).map(([k, pids]) => [k, Number(((pids.reduce((s, p) => s + cpuSeconds(p), 0) - start[k]) / wall).toFixed(2))]),
      );
    },
  };
}

/** The affinity list of a pid as taskset reports it (e.g. "0" or "0,1"). */
export function affinityOf(pid) {
  try {
    return execFileSync('taskset', ['-cp', String(pid)]).toString().split(':').pop().trim();
  } catch {
    return 'unknown';
  }
}
