/**
 * Recovery after a failed write (a full disk, most often). Why the store must be reopened rather than simply
 * written to again once space is back: LevelDB's log writer advances its block offset even when write(2) failed
 * part way, so later records in the same log would sit misaligned behind a torn one, and a replay after a crash
 * could drop them — acknowledged writes. LevelDB also keeps a failed background compaction as a sticky error
 * until reopened. A reopen replays the log (the torn tail is dropped; it was never acknowledged) and starts a new
 * one.
 *
 * Reopening only makes sense when the directory can take writes again, so each attempt first writes and removes a
 * probe file about the size of what LevelDB needs next (a new log, the start of a table).
 */
import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Bytes the probe writes. Too small and the reopened store fails again at once (and is suspended again): a reopen
 * replays the log into a table of up to LevelDB's write buffer (4 MiB by default), so room for twice that.
 */
const PROBE_BYTES = 8 << 20;

/** How often a suspended store tries to recover. */
export const DEFAULT_RECOVERY_INTERVAL_MS = 1_000;

/** Throws (ENOSPC, EROFS, EIO…) unless `dir` accepts PROBE_BYTES and an fsync right now. */
export async function probeWritable(dir: string): Promise<void> {
  const path = join(dir, '.livechatd-write-probe');
  try {
    const file = await open(path, 'w');
    try {
      await file.write(Buffer.alloc(PROBE_BYTES));
      await file.sync();
    } finally {
      await file.close();
    }
  } finally {
    await rm(path, { force: true });
  }
}

/**
 * Calls `attempt` every `intervalMs` until it resolves or `stop()` is called. Timers are unref'd: a store waiting
 * for disk space never keeps a process alive on its own.
 */
export function retryEvery(intervalMs: number, attempt: () => Promise<void>): { stop(): void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const schedule = () => {
    timer = setTimeout(() => {
      attempt().catch(() => {
        if (!stopped) schedule();
      });
    }, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
