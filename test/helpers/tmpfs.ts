/**
 * A small tmpfs for disk-full tests: mounted on a fresh temp directory (needs root, or CAP_SYS_ADMIN), filled with
 * a filler file until the kernel says ENOSPC, emptied again by removing the filler.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, open, rm, rmdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface Tmpfs {
  path: string;
  /** Writes a filler file until not one more byte fits; returns its size. */
  fill(): Promise<number>;
  /** Removes the filler: the space is back. */
  free(): Promise<void>;
  unmount(): Promise<void>;
}

/** The mounted tmpfs, or the reason mounting is impossible here (not root, no mount(8), a sandbox). */
export async function mountTmpfs(sizeMiB: number): Promise<Tmpfs | { error: string }> {
  const path = await mkdtemp(join(tmpdir(), 'livechatd-tmpfs-'));
  try {
    await run('mount', ['-t', 'tmpfs', '-o', `size=${sizeMiB}m,mode=0700`, 'livechatd-test', path]);
  } catch (e) {
    await rmdir(path);
    return { error: String((e as { stderr?: string }).stderr || (e as Error).message).trim() };
  }
  const filler = join(path, 'filler');
  return {
    path,
    async fill() {
      const file = await open(filler, 'a');
      let size = 0;
      try {
        // Big chunks first, then smaller ones down to a byte: the last page must be full too. Bounded by the size.
        for (let chunk = 1 << 20; chunk >= 1; chunk >>= 1) {
          for (;;) {
            try {
              size += (await file.write(Buffer.alloc(chunk))).bytesWritten;
            } catch (e) {
              if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
              break;
            }
          }
        }
      } finally {
        await file.close();
      }
      return size;
    },
    free: () => rm(filler, { force: true }),
    async unmount() {
      await run('umount', [path]);
      await rmdir(path);
    },
  };
}
