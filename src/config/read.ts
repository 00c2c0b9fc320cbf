/**
 * Finds and reads the configuration's source files: PATH itself, or every `*.yaml` / `*.yml` directly inside the
 * directory PATH, in name order (so `10-server.yaml` comes before `20-agents.yaml`). Merging them is tree.ts's job.
 *
 * Directory entries are stat()ed through symlinks, so a Kubernetes ConfigMap mount (whose files are symlinks into
 * `..data/`) reads like a plain directory; dot-files, which include those `..data` entries, are skipped.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { displayFile, issueAt, type ConfigIssue } from './issues.js';

export interface SourceText {
  /** Absolute. */
  path: string;
  /** As shown in issues (see displayFile). */
  file: string;
  text: string;
}

const YAML_FILE = /\.ya?ml$/i;

/** The sources in merge order, or one issue saying why they cannot be read. Never throws for I/O errors. */
export async function readSources(target: string): Promise<{ sources: SourceText[] } | { issue: ConfigIssue }> {
  const root = resolve(target);
  try {
    const paths = (await stat(root)).isDirectory() ? await yamlFilesIn(root) : [root];
    if (paths.length === 0) return { issue: fileIssue(root, 'no *.yaml or *.yml files in this directory') };
    const sources = await Promise.all(
      paths.map(async (path) => ({ path, file: displayFile(path), text: await readFile(path, 'utf8') })),
    );
    return { sources };
  } catch (error) {
    if (!isErrno(error)) throw error;
    return { issue: fileIssue(error.path ?? root, ioMessage(error)) };
  }
}

/**
 * Sources with nothing in them: zero bytes, or only whitespace, comments and document markers. A reload must not
 * apply such a file — on a live system it is a save in progress or a failed deploy, not an intent to fall back to
 * every default (`validate` still accepts one: an empty config is valid on purpose).
 */
export function emptySourceIssues(sources: readonly SourceText[], allowed: readonly string[] = []): ConfigIssue[] {
  return sources
    .filter((source) => isBlank(source.text) && !allowed.includes(source.path))
    .map((source) => fileIssue(source.path, 'empty file (a save in progress or a failed deploy?); not applied'));
}

/** Paths of the sources with nothing in them but comments and blank lines. */
export function blankSources(sources: readonly SourceText[]): string[] {
  return sources.filter((source) => isBlank(source.text)).map((source) => source.path);
}

// A blank line, a comment, or a document marker (`---` / `...`, only at the start of a line) with a comment.
const BLANK_LINE = /^(?:(?:---|\.\.\.)(?=\s|$))?\s*(?:#.*)?$/;

/** Line by line without splitting the whole text: a large configuration's first line usually decides. */
function isBlank(text: string): boolean {
  for (let start = text.charCodeAt(0) === 0xfeff ? 1 : 0; start <= text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    if (!BLANK_LINE.test(text.slice(start, end).replace(/\r$/, ''))) return false;
    start = end + 1;
  }
  return true;
}

async function yamlFilesIn(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((name) => !name.startsWith('.') && YAML_FILE.test(name)).sort();
  const paths = names.map((name) => join(dir, name));
  const isFile = await Promise.all(paths.map(async (path) => (await stat(path)).isFile()));
  return paths.filter((_, i) => isFile[i]);
}

function fileIssue(path: string, message: string): ConfigIssue {
  return issueAt({ file: displayFile(path), line: 1, col: 1 }, '(file)', message);
}

const IO_MESSAGES: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'is a directory',
  ENOTDIR: 'a path component is not a directory',
  ELOOP: 'too many levels of symbolic links',
};

function ioMessage(error: NodeJS.ErrnoException): string {
  return `cannot read: ${(error.code && IO_MESSAGES[error.code]) ?? error.message}`;
}

function isErrno(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string';
}
