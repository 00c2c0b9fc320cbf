/**
 * Watches the configuration for changes and asks for a reload once the files have settled.
 *
 * The *directory* holding the config is watched, not the file: editors save by writing a new file and renaming
 * it over the old one, `git checkout` replaces files, and a Kubernetes ConfigMap update swaps a `..data` symlink —
 * a watch on the old file would miss all of these. Any event in the directory starts a quiet period; the reload
 * is requested only when two reads of the sources, one quiet period apart, are identical (a half-written file
 * is not read as the new config). Events for unrelated files cost one read; the coordinator's hash makes the
 * reload a no-op when nothing changed.
 */
import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { dirname, resolve } from 'node:path';
import { readSources } from './read.js';

export interface ConfigWatcher {
  close(): void;
}

export async function watchConfig(path: string, onSettled: () => void, options: { quietMs?: number } = {}): Promise<ConfigWatcher> {
  const quietMs = options.quietMs ?? 250;
  const target = resolve(path);
  const dir = (await stat(target)).isDirectory() ? target : dirname(target);
  let timer: NodeJS.Timeout | undefined;
  let last: string | undefined;
  let closed = false;

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

  const watcher: FSWatcher = watch(dir, { persistent: false }, () => {
    clearTimeout(timer);
    last = undefined;
    timer = setTimeout(() => void settle(), quietMs);
  });
  watcher.on('error', () => undefined); // the directory vanished: nothing left to watch until restart

  return {
    close() {
      closed = true;
      clearTimeout(timer);
      watcher.close();
    },
  };
}

/** A digest of the sources as they read now (or of the read error), to tell "settled" from "still changing". */
async function signature(target: string): Promise<string> {
  const read = await readSources(target);
  const hash = createHash('sha256');
  if ('issue' in read) hash.update(`error:${read.issue.message}`);
  else for (const source of read.sources) hash.update(source.path).update('\0').update(source.text).update('\0');
  return hash.digest('hex');
}
