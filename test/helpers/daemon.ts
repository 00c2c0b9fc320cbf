/**
 * Starts a real daemon for a test: config from a YAML fixture, LevelDB in a temp dir, HTTP on 127.0.0.1:0.
 * Logs are captured in memory so tests can assert on them (and on what they must never contain).
 */
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/index.js';
import { createDaemon, type Daemon, type DaemonOptions } from '../../src/daemon/index.js';
import { createLogger, type Logger } from '../../src/telemetry/logger.js';

export const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));

export interface TestDaemon {
  daemon: Daemon;
  url: string;
  logs: string[];
  stop: () => Promise<void>;
}

export type ExtraOptions = Omit<DaemonOptions, 'config' | 'configPath' | 'env' | 'logger'>;

export async function startDaemon(fixture: string, env: Record<string, string>, extra: ExtraOptions = {}): Promise<TestDaemon> {
  const daemon = await buildDaemon(fixture, env, extra);
  await daemon.daemon.start();
  return { ...daemon, url: daemon.daemon.addr().url };
}

/** A debug-level logger whose JSON lines land in `logs`, for asserting on them (and on what they must never hold). */
export function capturedLogger(level = 'debug'): { logger: Logger; logs: string[] } {
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  return { logger: createLogger({ level, destination }), logs };
}

export async function buildDaemon(fixture: string, env: Record<string, string>, extra: ExtraOptions = {}): Promise<Omit<TestDaemon, 'url'>> {
  const path = FIXTURES + fixture;
  const result = await loadConfig(path, { env });
  if (!result.ok) throw new Error(`fixture ${fixture} is invalid: ${JSON.stringify(result.errors)}`);
  const { logger, logs } = capturedLogger();
  const daemon = createDaemon({
    config: result.config,
    configPath: path,
    env,
    logger,
    shutdownGraceMs: 1_000,
    ...extra,
  });
  return { daemon, logs, stop: () => daemon.stop() };
}
