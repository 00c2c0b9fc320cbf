/** `livechat`: the tools for agents and site owners that talk to a running daemon. */
import { Command } from 'commander';
import { agentCommand } from './commands/agent.js';
import { installSnippetCommand } from './commands/install-snippet.js';
import { version } from './version.js';

export function buildProgram(): Command {
  const program = new Command('livechat')
    .description('livechatd client tools: the agent console and the embed snippet')
    .version(version(), '-V, --version')
    .showHelpAfterError('(run livechat --help for usage)');
  agentCommand(program);
  installSnippetCommand(program);
  return program;
}

export function main(argv: string[]): void {
  void buildProgram().parseAsync(argv);
}
