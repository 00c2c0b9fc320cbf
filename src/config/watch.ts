/**
 * Watches the configuration for changes and asks for a reload once the files have settled.
 *
 * The *directory* holding the config is watched, not the file: editors save by writing a new file and renaming
 * it over the old one, `git checkout` replaces files, and a Kubernetes ConfigMap update swaps a `..data` symlink —
 * a watch on the old file would miss all of these. Any event in the directory starts a quiet period; the reload
 * is requested only when two reads of the sources, one quiet period apart, are identical (a half-written file
 * is not read as the new config). Events for unrelated files cost one read; the coordinator's hash makes the
 * reload a no-op when nothing changed.
 *
 * A watch follows the directory's inode, so when a deploy replaces the directory itself (renames it away and
 * moves a new one in) the old watch goes silent. After every event the watcher checks that the path still names
 * the directory it watches, and if not it watches the new one (retrying a bounded number of times while the path
 * is missing). A config directory is also watched from its parent, which sees a swap of the directory (or of a
 * symlink to it) that sends no event to the directory's own watch.
 */
import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { createHash } from 'node:crypto';
import { basename, dirname, resolve } from 'node:path';
import { readSources } from './read.js';

export interface ConfigWatcher {
  close(): void;
}

export interface WatchOptions {
  quietMs?: number;
  /** How many quiet periods to wait for a replaced directory to reappear before giving up (default 40). */
  rewatchAttempts?: number;
}

export async function watchConfig(path: string, onSettled: () => void, options: WatchOptions = {}): Promise<ConfigWatcher> {
  const quietMs = options.quietMs ?? 250;
  const attempts = options.rewatchAttempts ?? 40;
  const target = resolve(path);
  const targetIsDir = (await stat(target)).isDirectory();
  const dir = targetIsDir ? target : dirname(target);
  let timer: NodeJS.Timeout | undefined;
  const stopped = new AbortController();
  let last: string | undefined;
  let closed = false;
  let watched: { watcher: FSWatcher; id: string } | undefined;
  let checking = false;

  const settle = async () => {
    const now = await signature(target);
    if (closed) return;
    if (now !== last) {
      // Still changing (or first look since the event): look again after another quiet period.
      last = now;
      timer = setTimeout(() => void settle(), quietMs);
      return;
    }
    last = undefined;
    onSettled();
  };

  const changed = () => {
    if (closed) return;
    clearTimeout(timer);
    last = undefined;
    timer = setTimeout(() => void settle(), quietMs);
    void verify();
  };

  /** Watches whatever directory `dir` names now; false when there is none (yet). */
  const attach = async (): Promise<boolean> => {
    const id = await identity(dir);
    if (closed || id === undefined) return false;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, { persistent: false }, changed);
    } catch {
      return false; // replaced again between the stat and the watch: the next attempt sees the new one
    }
    watcher.on('error', () => void verify()); // the directory vanished: find its replacement
    watched = { watcher, id };
    return true;
  };

  /** After an event: is `dir` still the directory we watch? If not, move the watch to the new one. */
  const verify = async () => {
    if (checking || closed) return;
    checking = true;
    try {
      if (watched && (await identity(dir)) === watched.id) return;
      watched?.watcher.close();
      watched = undefined;
      for (let attempt = 1; !closed; attempt++) {
        if (await attach()) {
          changed(); // the new directory's content was never seen: read it (and reload if it differs)
          return;
        }
        if (attempt >= attempts) {
          // Bounded: report the missing config through the pipeline (refused, logged) rather than retry forever.
          onSettled();
          return;
        }
        await sleep(quietMs, undefined, { signal: stopped.signal }); // a deploy may not have moved the new one in yet
      }
    } catch {
      // Only the sleep throws, when close() aborts it: nothing left to do.
    } finally {
      checking = false;
    }
  };

  if (!(await attach())) throw new Error(`cannot watch ${dir}: it is not a directory`);
  // A config directory can be replaced wholesale; its parent sees that even when the directory's own watch does not.
  const parent = targetIsDir ? watch(dirname(dir), { persistent: false }, (_event, name) => {
    if (name === null || name === basename(dir)) changed();
  }) : undefined;
  parent?.on('error', () => undefined); // the parent is gone too: the directory's own watch still reports

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      stopped.abort();
      watched?.watcher.close();
      parent?.close();
    },
  };
}

/** Device and inode of the directory `dir` names now (through symlinks), or undefined if there is none. */
async function identity(dir: string): Promise<string | undefined> {
  try {
    const info = await stat(dir);
    return info.isDirectory() ? `${info.dev}:${info.ino}` : undefined;
  } catch {
    return undefined;
  }
}

/** A digest of the sources as they read now (or of the read error), to tell "settled" from "still changing". */
async function signature(target: string): Promise<string> {
  const read = await readSources(target);
  const hash = createHash('sha256');
  if ('issue' in read) hash.update(`error:${read.issue.message}`);
  else for (const source of read.sources) hash.update(source.path).update('\0').update(source.text).update('\0');
  return hash.digest('hex');
}
