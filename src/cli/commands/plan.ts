import type { Command } from 'commander';
import { diffConfig, redactConfig, type ConfigSections } from '../../config/diff.js';
import { formatIssue, loadConfig, type ConfigSnapshot } from '../../config/index.js';
import { adminSession } from '../admin-session.js';
import { CliExit, runCommand } from '../fail.js';
import { DEFAULT_CONFIG } from './validate.js';

interface PlanOptions {
  config: string;
  server?: string;
  user?: string;
  against?: string;
  detailedExitcode?: boolean;
}

export function planCommand(program: Command): void {
  program
    .command('plan')
    .description('show what a reload would change (+ added, - removed, ~ changed); secrets are never shown')
    .option('-c, --config <path>', 'the new configuration: YAML file or directory', DEFAULT_CONFIG)
    .option('-s, --server <url>', 'compare with this running daemon (default LIVECHAT_SERVER or http://127.0.0.1:3000)')
    .option('-u, --user <name>', 'manager username for --server (default LIVECHAT_USER); password from LIVECHAT_PASSWORD or a prompt')
    .option('--against <path>', 'compare with another configuration on disk instead of a running daemon')
    .option('--detailed-exitcode', 'exit 2 when there is nothing to change (0 when there is)')
    .action((opts: PlanOptions) => runCommand('livechatd', () => plan(opts)));
}

async function plan(opts: PlanOptions): Promise<number> {
  const next = await load(opts.config);
  let lines: string[];
  if (opts.against !== undefined) {
    const old = await load(opts.against);
    lines = diffConfig(old, next, [...old.interpolatedPaths, ...next.interpolatedPaths]);
  } else {
    // The daemon only ever shows its config redacted, so compare like with like; secret changes are not visible.
    const session = await adminSession(opts);
    const active = await session.call<{ config: ConfigSections }>('GET', '/api/v1/admin/config');
    lines = diffConfig(active.config, redactConfig(next, next.interpolatedPaths));
  }
  if (lines.length === 0) {
    process.stdout.write('no changes\n');
    return opts.detailedExitcode ? 2 : 0;
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

async function load(path: string): Promise<ConfigSnapshot> {
  const result = await loadConfig(path);
  if (result.ok) return result.config;
  for (const issue of result.errors) process.stderr.write(`${formatIssue(issue)}\n`);
  throw new CliExit(1, `${result.errors.length} configuration error(s) in ${path}`);
}
