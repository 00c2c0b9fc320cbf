/** `livechatd`: the daemon and its operator commands. */
import { Command } from 'commander';
import { hashPasswordCommand } from './commands/hash-password.js';
import { planCommand } from './commands/plan.js';
import { reloadCommand } from './commands/reload.js';
import { serveCommand } from './commands/serve.js';
import { validateCommand } from './commands/validate.js';
import { webhooksCommand } from './commands/webhooks.js';
import { version } from './version.js';

export function buildProgram(): Command {
  const program = new Command('livechatd')
    .description('self-hosted live chat server, wire-compatible with Rocket.Chat Livechat')
    .version(version(), '-V, --version')
    .showHelpAfterError('(run livechatd --help for usage)');
  serveCommand(program);
  validateCommand(program);
  planCommand(program);
  reloadCommand(program);
  hashPasswordCommand(program);
  webhooksCommand(program);
  return program;
}

export function main(argv: string[]): void {
  void buildProgram().parseAsync(argv);
}
