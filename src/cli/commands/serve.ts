import type { Command } from 'commander';
import { formatIssue, loadConfig } from '../../config/index.js';
import { createDaemon, type Daemon } from '../../daemon/index.js';
import { createLogger, type Logger } from '../../telemetry/logger.js';
import { CliExit, describeError, runCommand } from '../fail.js';
import { tuneForServing } from '../runtime.js';
import { DEFAULT_CONFIG } from './validate.js';

export function serveCommand(program: Command): void {
  program
    .command('serve')
    .description('run the daemon; SIGHUP reloads the configuration, SIGTERM/SIGINT stop it cleanly')
    .option('-c, --config <path>', 'YAML file, or a directory of *.yaml merged in name order', DEFAULT_CONFIG)
    .option('--log-level <level>', 'trace, debug, info, warn, error', process.env.LIVECHAT_LOG_LEVEL ?? 'info')
    .action((opts: { config: string; logLevel: string }) => runCommand('livechatd', () => serve(opts)));
}

async function serve(opts: { config: string; logLevel: string }): Promise<number> {
  tuneForServing();
  const result = await loadConfig(opts.config);
  if (!result.ok) {
    for (const issue of result.errors) process.stderr.write(`${formatIssue(issue)}\n`);
    throw new CliExit(1, `refusing to start: ${result.errors.length} configuration error(s) in ${opts.config}`);
  }
  const logger = createLogger({ level: opts.logLevel, pretty: Boolean(process.stdout.isTTY) });
  const daemon = createDaemon({ config: result.config, configPath: opts.config, logger });
  // Handlers first: a signal that arrives the moment the daemon says it listens must not kill it.
  const stopped = untilStopped(daemon, logger);
  await daemon.start();
  return await stopped;
}

/**
 * Resolves with the exit code once a stop signal has been handled. The first SIGTERM/SIGINT stops gracefully;
 * a second one exits at once, for an operator whose shutdown is stuck.
 */
function untilStopped(daemon: Daemon, logger: Logger): Promise<number> {
  return new Promise((resolve) => {
    let stopping = false;
    const onStop = (signal: NodeJS.Signals) => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting immediately');
        process.exit(1);
      }
      stopping = true;
      logger.info({ signal }, 'stopping');
      daemon.stop().then(
        () => {
          process.off('SIGHUP', onHup);
          resolve(0);
        },
        (err: unknown) => {
          process.stderr.write(`livechatd: stop failed: ${describeError(err)}\n`);
          resolve(1);
        },
      );
    };
    const onHup = () => {
      logger.info('SIGHUP: reloading configuration');
      void daemon.reload();
    };
    process.on('SIGTERM', onStop);
    process.on('SIGINT', onStop);
    process.on('SIGHUP', onHup);
  });
}
