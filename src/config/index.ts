/**
 * The configuration pipeline: read (file or directory) → parse YAML with places → interpolate ${ENV} → merge files
 * → JSON Schema (defaults applied) → semantic checks → compile an immutable snapshot.
 *
 * Every problem comes back as a ConfigIssue, all of them at once, sorted by file and place; loadConfig() never
 * throws for a bad configuration or an unreadable path.
 */
import { compileSnapshot, type ConfigSnapshot } from './compile.js';
import { parseSource, type ParsedSource } from './document.js';
import type { Env } from './interpolate.js';
import { sortIssues, type ConfigIssue } from './issues.js';
import { quickParse } from './quick-parse.js';
import { emptySourceIssues, readSources, type SourceText } from './read.js';
import { validateSchema } from './schema.js';
import type { LivechatConfig } from './schema-types.js';
import { checkSemantics } from './semantic.js';
import { mergeDocuments } from './tree.js';

export { formatIssue, type ConfigIssue } from './issues.js';
export type { ConfigSnapshot } from './compile.js';

export type LoadResult = { ok: true; config: ConfigSnapshot } | { ok: false; errors: ConfigIssue[] };

export interface LoadOptions {
  env?: Env;
  /** Refuse files with nothing in them (see emptySourceIssues): set by reloads, not by `validate`. */
  refuseEmpty?: boolean;
}

export async function loadConfig(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  const env = options.env ?? process.env;
  const read = await readSources(path);
  if ('issue' in read) return failed([read.issue]);
  if (options.refuseEmpty) {
    const empty = emptySourceIssues(read.sources);
    if (empty.length > 0) return failed(empty);
  }

  // A good configuration needs no places: try the fast parser first, and parse with places only to report issues.
  const quick = read.sources.map((source) => quickParse(source, env));
  if (quick.every((document) => document !== undefined)) {
    const result = await check(quick, read.sources);
    if (result.ok) return result;
  }
  return check(
    read.sources.map((source) => parseSource(source, env)),
    read.sources,
  );
}

/**
 * Merge, validate, compile — with a turn of the event loop between the steps: a running daemon reloads a large
 * configuration while it serves chats, and each step alone is short enough not to hold them up.
 */
async function check(documents: readonly ParsedSource[], read: readonly SourceText[]): Promise<LoadResult> {
  await nextTurn();
  const { tree, issues: mergeIssues } = mergeDocuments(documents);
  // A document with syntax errors, refused keys or unset variables is not the one its author meant: validating it
  // would report consequences rather than causes, so those are reported alone.
  const documentIssues = [...documents.flatMap((document) => document.issues), ...mergeIssues];
  if (documentIssues.length > 0) return failed(documentIssues);

  const schema = validateSchema(tree);
  const issues = [...schema.issues, ...checkSemantics(tree, schema.invalidSections)];
  if (issues.length > 0) return failed(issues);
  await nextTurn();

  const sources = read.map((source) => source.path);
  return {
    ok: true,
    config: compileSnapshot(tree.data as unknown as LivechatConfig, sources, tree.interpolatedPaths()),
  };
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** `ok: 2 departments, 3 agents, 1 manager, 2 triggers, 2 custom fields, 1 webhook (config 1a2b3c4d5e6f)` */
export function summarize(config: ConfigSnapshot): string {
  const counts = [
    count(config.departments.length, 'department'),
    count(config.agents.length, 'agent'),
    count(config.managers.length, 'manager'),
    count(config.triggers.length, 'trigger'),
    count(config.customFields.length, 'custom field'),
    count(config.webhooks.length, 'webhook'),
  ];
  return `ok: ${counts.join(', ')} (config ${config.hash.slice(0, 12)})`;
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

function failed(errors: ConfigIssue[]): LoadResult {
  return { ok: false, errors: sortIssues(errors) };
}
