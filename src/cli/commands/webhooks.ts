/**
 * `livechatd webhooks failed` and `livechatd webhooks redeliver <id>|--all`: the dead letters of a running
 * daemon, through its admin API, as a manager.
 */
import type { Command } from 'commander';
import { ServerError } from '../../client/channel.js';
import { adminSession, type AdminOptions } from '../admin-session.js';
import { CliExit, runCommand } from '../fail.js';

interface DeadLetterSummary {
  id: string;
  webhook: string;
  event: string;
  createdAt: string;
  failedAt: string;
  attempts: number;
  reason: string;
  lastError?: string;
}

const SERVER_OPTION = ['-s, --server <url>', 'daemon URL (default LIVECHAT_SERVER or http://127.0.0.1:3000)'] as const;
const USER_OPTION = ['-u, --user <name>', 'manager username (default LIVECHAT_USER); password from LIVECHAT_PASSWORD or a prompt'] as const;

export function webhooksCommand(program: Command): void {
  const webhooks = program.command('webhooks').description('webhook deliveries that failed for good (dead letters) on a running daemon');

  webhooks
    .command('failed')
    .description('list dead letters: id, webhook, event, attempts, when it failed and why')
    .option(...SERVER_OPTION)
    .option(...USER_OPTION)
    .action((opts: AdminOptions) =>
      runCommand('livechatd', async () => {
        const session = await adminSession(opts);
        const { failed } = await session.call<{ failed: DeadLetterSummary[] }>('GET', '/api/v1/admin/webhooks/failed');
        if (failed.length === 0) {
          process.stdout.write('no failed deliveries\n');
          return;
        }
        for (const letter of failed) process.stdout.write(`${describe(letter)}\n`);
      }),
    );

  webhooks
    .command('redeliver')
    .description('queue a dead letter (or all of them) for delivery again, with a fresh set of attempts')
    .argument('[id]', 'the dead letter to redeliver, as listed by `livechatd webhooks failed`')
    .option('--all', 'redeliver every dead letter')
    .option(...SERVER_OPTION)
    .option(...USER_OPTION)
    .action((id: string | undefined, opts: AdminOptions & { all?: boolean }) =>
      runCommand('livechatd', async () => {
        if ((id === undefined) === !opts.all) throw new CliExit(1, 'name one dead letter id, or pass --all');
        const session = await adminSession(opts);
        if (id !== undefined) {
          const { redelivered } = await plainly(session.call<{ redelivered: DeadLetterSummary }>('POST', `/api/v1/admin/webhooks/failed/${encodeURIComponent(id)}/redeliver`, {}));
          process.stdout.write(`queued ${redelivered.id} (${redelivered.event} → ${redelivered.webhook})\n`);
          return;
        }
        const result = await session.call<{ redelivered: string[]; skipped: { id: string; reason: string }[] }>('POST', '/api/v1/admin/webhooks/failed/redeliver', {});
        for (const skipped of result.skipped) process.stderr.write(`skipped ${skipped.id}: ${skipped.reason}\n`);
        process.stdout.write(`queued ${result.redelivered.length} dead letter(s) for delivery\n`);
        if (result.skipped.length > 0) throw new CliExit(1, `${result.skipped.length} dead letter(s) could not be redelivered`);
      }),
    );
}

/** A refusal (unknown id, webhook no longer configured) as the server's reason, without the " [code]" suffix. */
async function plainly<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (err) {
    if (err instanceof ServerError) throw new CliExit(1, err.message.replace(/ \[[a-z-]+\]$/, ''));
    throw err;
  }
}

function describe(letter: DeadLetterSummary): string {
  const why = letter.reason === 'webhook-removed' ? 'webhook removed from the configuration' : `${letter.attempts} attempts`;
  return [letter.id, letter.webhook, letter.event, letter.failedAt, why, letter.lastError ?? ''].join('\t').trimEnd();
}
