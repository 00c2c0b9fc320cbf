import type { Command } from 'commander';
import { adminSession } from '../admin-session.js';
import { CliExit, runCommand } from '../fail.js';

interface ReloadAnswer {
  outcome: 'applied' | 'unchanged' | 'refused';
  hash?: string;
  generation?: number;
  errors?: string[];
}

export function reloadCommand(program: Command): void {
  program
    .command('reload')
    .description('ask a running daemon to reload its configuration (the same pipeline as SIGHUP); prints the outcome')
    .option('-s, --server <url>', 'daemon URL (default LIVECHAT_SERVER or http://127.0.0.1:3000)')
    .option('-u, --user <name>', 'manager username (default LIVECHAT_USER); password from LIVECHAT_PASSWORD or a prompt')
    .action((opts: { server?: string; user?: string }) =>
      runCommand('livechatd', async () => {
        const session = await adminSession(opts);
        const answer = await session.call<ReloadAnswer>('POST', '/api/v1/admin/reload', {});
        if (answer.outcome === 'refused') {
          for (const line of answer.errors ?? []) process.stderr.write(`${line}\n`);
          throw new CliExit(1, 'reload refused; the previous configuration keeps serving');
        }
        process.stdout.write(`${answer.outcome}: config ${answer.hash?.slice(0, 12)} (generation ${answer.generation})\n`);
      }),
    );
}
