import type { Command } from 'commander';
import { formatIssue, loadConfig, summarize } from '../../config/index.js';
import { runCommand } from '../fail.js';

export const DEFAULT_CONFIG = 'config/livechat.yaml';

export function validateCommand(program: Command): void {
  program
    .command('validate')
    .description('check a configuration (schema and cross-references); exit 0 when valid, else print every error and exit 1')
    .option('-c, --config <path>', 'YAML file, or a directory of *.yaml merged in name order', DEFAULT_CONFIG)
    .action((opts: { config: string }) =>
      runCommand('livechatd', async () => {
        const result = await loadConfig(opts.config);
        if (!result.ok) {
          for (const issue of result.errors) process.stderr.write(`${formatIssue(issue)}\n`);
          return 1;
        }
        process.stdout.write(`${summarize(result.config)}\n`);
        return 0;
      }),
    );
}
