import type { Command } from 'commander';
import { loadConfig, formatIssue } from '../../config/index.js';
import { embedSnippet, SnippetError, snippetText } from '../../domain/embed-snippet.js';
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
    .option('--json', 'print the loader URL, iframe URL and snippet (with --magento also the placement note) as JSON, for automation')
    .action((opts: SnippetCliOptions) => runCommand('livechat', () => printSnippet(opts)));
}

async function printSnippet(opts: SnippetCliOptions): Promise<void> {
  // The configuration is read whenever it is given: --url only overrides where the server is, and --department
  // is still checked against the departments it defines.
  const config = opts.config !== undefined ? await configOf(opts.config, opts.department) : undefined;
  const url = opts.url ?? config?.publicUrl;
  if (url === undefined && opts.config !== undefined) throw new CliExit(1, `server.publicUrl is not set in ${opts.config}; set it, or pass --url`);
  if (url === undefined) throw new CliExit(1, 'which server? pass --url https://chat.example.com, or --config PATH with server.publicUrl set');
  let result;
  try {
    result = embedSnippet({ url, ...(opts.magento && { magento: true }), ...(opts.department !== undefined && { department: opts.department }) });
  } catch (err) {
    if (err instanceof SnippetError) throw new CliExit(1, err.message);
    throw err;
  }
  process.stdout.write(snippetText(result, opts.json));
}

/** Loads the configuration at `path`, checks `department` against it and returns its public URL (if set). */
async function configOf(path: string, department: string | undefined): Promise<{ publicUrl: string | undefined }> {
  const loaded = await loadConfig(path);
  if (!loaded.ok) {
    for (const issue of loaded.errors) process.stderr.write(`${formatIssue(issue)}\n`);
    throw new CliExit(1, `${loaded.errors.length} configuration error(s) in ${path}`);
  }
  const { config } = loaded;
  if (department !== undefined && !config.departmentById[department]) {
    throw new CliExit(1, `unknown department "${department}"; ${path} has: ${config.departments.map((d) => d.id).join(', ') || 'none'}`);
  }
  return { publicUrl: config.server.publicUrl };
}
