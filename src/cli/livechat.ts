/** `livechat`: the tools for agents and site owners that talk to a running daemon. */
import { Command } from 'commander';
import { version } from './version.js';

export function buildProgram(): Command {
  return new Command('livechat')
    .description('livechatd client tools: the agent console and the embed snippet')
    .version(version(), '-V, --version')
    .showHelpAfterError('(run livechat --help for usage)');
}

export function main(argv: string[]): void {
  void buildProgram().parseAsync(argv);
}
