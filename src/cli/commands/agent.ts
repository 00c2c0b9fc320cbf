/**
 * `livechat agent`: log in (asking again after a wrong password), then hand the terminal to the console (src/tui)
 * until the agent quits or a signal asks it to. Exit codes: 0 after a clean quit, 1 when the console cannot
 * start (no terminal, server unreachable, too many failed logins), 130 when the prompt is interrupted.
 */
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { AgentClient, type AgentLogin } from '../../client/agent-client.js';
import { ServerError } from '../../client/channel.js';
import { nodeSocket } from '../../client/node.js';
import { ENVIRONMENT, HELP } from '../../tui/bindings.js';
import { DEFAULT_SERVER } from '../admin-session.js';
import { CliExit, runCommand } from '../fail.js';
import { readSecret } from '../read-secret.js';

interface AgentOptions {
  server?: string;
  user?: string;
  bell: boolean;
}

const MAX_ATTEMPTS = 5;

export function agentCommand(program: Command): void {
  program
    .command('agent')
    .description('the terminal console for agents and managers: the queue, your chats, replies, transfers')
    .option('-s, --server <url>', `daemon URL (default LIVECHAT_SERVER or ${DEFAULT_SERVER})`)
    .option('-u, --user <name>', 'your username (default LIVECHAT_USER, else asked)')
    .option('--no-bell', 'no terminal bell for new chats and messages (or LIVECHAT_BELL=off)')
    .addHelpText('after', helpText())
    .action((opts: AgentOptions) => runCommand('livechat', () => agent(opts)));
}

function helpText(): string {
  const width = Math.max(...HELP.flatMap((s) => s.keys.map(([k]) => k.length)), ...ENVIRONMENT.map(([k]) => k.length)) + 2;
  const rows = (pairs: [string, string][]) => pairs.map(([k, v]) => `    ${k.padEnd(width)}${v}`).join('\n');
  const keys = HELP.map((s) => `  ${s.title}\n${rows(s.keys)}`).join('\n');
  return `\nKeys (also behind ? in the console):\n${keys}\n\nEnvironment:\n${rows(ENVIRONMENT)}\n\nWorks in any terminal of 80×24 or more, over SSH and inside tmux or screen.\n`;
}

async function agent(opts: AgentOptions): Promise<number> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) throw new CliExit(1, 'livechat agent needs a terminal: run it in an interactive shell');
  const server = serverUrl(opts.server ?? process.env.LIVECHAT_SERVER ?? DEFAULT_SERVER);
  const client = new AgentClient({ server, socket: nodeSocket });
  const login = await logIn(client, server, opts.user ?? process.env.LIVECHAT_USER);
  const bell = opts.bell && process.env.LIVECHAT_BELL?.toLowerCase() !== 'off';
  // Loaded only now: Ink and React take a moment to load, which --help and a failed login should not wait for.
  const { runConsole } = await import('../../tui/run.js');
  const running = runConsole({ client, server, me: login.user, bell });
  const quit = () => running.quit();
  const signals = ['SIGTERM', 'SIGHUP', 'SIGINT'] as const;
  for (const signal of signals) process.on(signal, quit);
  try {
    await running.done;
  } finally {
    for (const signal of signals) process.off(signal, quit);
  }
  return 0;
}

function serverUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
    return url.toString().replace(/\/$/, '');
  } catch {
    throw new CliExit(1, `not a server URL: "${text}" (expected e.g. ${DEFAULT_SERVER})`);
  }
}

/** Asks until the server says yes; a wrong password is said plainly and asked again, anything else ends here. */
async function logIn(client: AgentClient, server: string, givenUser: string | undefined): Promise<AgentLogin> {
  let user = givenUser ?? (await ask('Username: '));
  let password = process.env.LIVECHAT_PASSWORD;
  for (let attempt = 1; ; attempt += 1) {
    password ??= await readSecret(`Password for ${user} at ${server}: `).catch(() => {
      throw new CliExit(130);
    });
    try {
      return await client.login(user, password);
    } catch (err) {
      if (!(err instanceof ServerError)) throw new CliExit(1, `cannot reach ${server}: ${networkReason(err)} (is livechatd running? see --server)`);
      const why = err.message.replace(/\s*\[[\w-]+\]$/, ''); // the server appends the error code for programs
      if (err.code !== 'unauthorized' || attempt >= MAX_ATTEMPTS) throw new CliExit(1, `cannot log in as ${user}: ${why}`);
      process.stderr.write(`Login failed: ${why}. Try again (Ctrl-C to give up).\n`);
      password = undefined;
      // A username that was typed may be the typo; one that was passed is kept.
      if (givenUser === undefined) user = (await ask(`Username [${user}]: `)) || user;
    }
  }
}

function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused';
  if (cause?.code === 'ENOTFOUND') return 'unknown host';
  return cause?.message ?? (err instanceof Error ? err.message : String(err));
}

/** One echoed line from the terminal (the username); the prompt goes to stderr like the password's. */
async function ask(prompt: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
  try {
    return await new Promise<string>((resolve, reject) => {
      rl.question(prompt, (answer) => resolve(answer.trim()));
      rl.once('SIGINT', () => reject(new CliExit(130)));
      rl.once('close', () => reject(new CliExit(130)));
    });
  } finally {
    rl.close();
  }
}
