import type { Command } from 'commander';
import { loadConfig, formatIssue } from '../../config/index.js';
import { embedSnippet, MAGENTO_NOTE, SnippetError } from '../../domain/embed-snippet.js';
import { CliExit, runCommand } from '../fail.js';

interface SnippetCliOptions {
  url?: string;
  config?: string;
  magento?: boolean;
  department?: string;
  json?: boolean;
}

export function installSnippetCommand(program: Command): void {
  program
    .command('install-snippet')
    .description('print the embed code to paste into a website (the standard Rocket.Chat Livechat snippet, pointing at livechatd)')
    .option('--url <url>', "the server's public URL, e.g. https://chat.example.com")
    .option('-c, --config <path>', 'take the URL from server.publicUrl of this configuration (and check --department against it)')
    .option('--magento', 'the Magento 2 form (RequireJS), with where to put it')
    .option('--department <id>', 'route chats from these pages to one department')
    .option('--json', 'print the loader URL, iframe URL and snippet as JSON, for automation')
    .action((opts: SnippetCliOptions) => runCommand('livechat', () => printSnippet(opts)));
}

async function printSnippet(opts: SnippetCliOptions): Promise<void> {
  const url = opts.url ?? (opts.config !== undefined ? await publicUrlOf(opts.config, opts.department) : undefined);
  if (url === undefined) throw new CliExit(1, 'which server? pass --url https://chat.example.com, or --config PATH with server.publicUrl set');
  let result;
  try {
    result = embedSnippet({ url, ...(opts.magento && { magento: true }), ...(opts.department !== undefined && { department: opts.department }) });
  } catch (err) {
    if (err instanceof SnippetError) throw new CliExit(1, err.message);
    throw err;
  }
  if (opts.json) return void process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(`${result.snippet}\n`);
  if (opts.magento) process.stdout.write(`\n${MAGENTO_NOTE}\n`);
}

async function publicUrlOf(path: string, department: string | undefined): Promise<string> {
  const loaded = await loadConfig(path);
  if (!loaded.ok) {
    for (const issue of loaded.errors) process.stderr.write(`${formatIssue(issue)}\n`);
    throw new CliExit(1, `${loaded.errors.length} configuration error(s) in ${path}`);
  }
  const { config } = loaded;
  if (department !== undefined && !config.departmentById[department]) {
    throw new CliExit(1, `unknown department "${department}"; ${path} has: ${config.departments.map((d) => d.id).join(', ') || 'none'}`);
  }
  if (config.server.publicUrl === undefined) throw new CliExit(1, `server.publicUrl is not set in ${path}; set it, or pass --url`);
  return config.server.publicUrl;
}
