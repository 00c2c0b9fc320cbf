/** What a server process reports about itself: memory after a full GC, open file descriptors and their limit. */
import { readdirSync, readFileSync } from 'node:fs';
import { sleep } from './clock.mjs';

export async function memoryAfterGc() {
  if (typeof globalThis.gc === 'function') {
    for (let i = 0; i < 3; i += 1) {
      globalThis.gc();
      await sleep(50);
    }
  }
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, heapTotal, external, arrayBuffers, gc: typeof globalThis.gc === 'function' };
}

export function fileDescriptors() {
  const open = readdirSync('/proc/self/fd').length;
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  const [soft, hard] = line ? line.replace('Max open files', '').trim().split(/\s+/).map(Number) : [NaN, NaN];
  return { open, soft, hard };
}
