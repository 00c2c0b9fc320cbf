/** What the report says about where and on what it ran. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const PACKAGES = ['ws', 'level', 'classic-level', 'koa', 'ajv', 'yaml', 'pino', 'playwright-core', 'typescript', 'esbuild'];
/** What a run writes (bench/run.mjs): changed by the last run, not by the code measured. */
const OUTPUTS = ['RESULTS.md', 'results.json', 'results.partial.json'];

function version(name) {
  try {
    return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
  } catch {
    return null;
  }
}

const quiet = (cmd, args) => {
  try {
    return execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return null;
  }
};

export function machineInfo() {
  const cpus = os.cpus();
  const osRelease = (() => {
    try {
      return /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1] ?? null;
    } catch {
      return null;
    }
  })();
  const root = new URL('../../', import.meta.url);
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Number((os.totalmem() / 2 ** 30).toFixed(1)),
    kernel: os.release(),
    os: osRelease,
    loadAverageAtStart: os.loadavg().map((x) => Number(x.toFixed(2))),
    node: process.version,
    livechatd: JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).version,
    commit: quiet('git', ['-C', root.pathname, 'rev-parse', '--short', 'HEAD']),
    uncommittedFiles: (quiet('git', ['-C', root.pathname, 'status', '--porcelain', '--', '.', ...OUTPUTS.map((f) => `:!bench/${f}`)]) ?? '').split('\n').filter(Boolean).length,
    packages: Object.fromEntries(PACKAGES.map((p) => [p, version(p)])),
  };
}
