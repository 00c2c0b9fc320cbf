/**
 * The configuration pipeline: read (file or directory) → parse YAML with places → interpolate ${ENV} → merge files
 * → JSON Schema (defaults applied) → semantic checks → compile an immutable snapshot.
 *
 * Every problem comes back as a ConfigIssue, all of them at once, sorted by file and place; loadConfig() never
 * throws for a bad configuration or an unreadable path.
 */
import { compileSnapshot, configHash, type ConfigSnapshot } from './compile.js';
import { parseSource, type ParsedSource } from './document.js';
import type { Env } from './interpolate.js';
import { sortIssues, type ConfigIssue } from './issues.js';
import { quickParse } from './quick-parse.js';
import { blankSources, emptySourceIssues, readSources, type SourceText } from './read.js';
import { validateSchema } from './schema.js';
import type { LivechatConfig } from './schema-types.js';
import { checkSemantics } from './semantic.js';
import { mergeDocuments } from './tree.js';

export { formatIssue, type ConfigIssue } from './issues.js';
export type { ConfigSnapshot } from './compile.js';

export type LoadResult = { ok: true; config: ConfigSnapshot } | { ok: false; errors: ConfigIssue[] };

/** A configuration that passed every check, as plain data (structured-cloneable), not yet compiled. */
export type ValidationResult =
  | { ok: true; data: LivechatConfig; sources: string[]; emptySources: string[]; interpolatedPaths: string[]; hash: string }
  | { ok: false; errors: ConfigIssue[] };

export interface LoadOptions {
  env?: Env;
  /**
   * Refuse files with nothing in them (see emptySourceIssues) — set by reloads, not by `validate` — except those
   * listed in `allowed`: files already blank in the active configuration (a placeholder, not a save in progress).
   */
  refuseEmpty?: { allowed: readonly string[] };
}

export async function loadConfig(path: string, options: LoadOptions = {}): Promise<LoadResult> {
  return compileValidated(await validateConfig(path, options));
}

/** The snapshot of what validateConfig() accepted (here or in a worker thread), or its errors. */
export async function compileValidated(result: ValidationResult): Promise<LoadResult> {
  if (!result.ok) return result;
  await nextTurn();
  const { data, sources, emptySources, interpolatedPaths, hash } = result;
  return { ok: true, config: compileSnapshot(data, sources, interpolatedPaths, hash, emptySources) };
}

/** Every step of loadConfig() but the compile: read, parse, merge, validate, semantic checks, hash. */
export async function validateConfig(path: string, options: LoadOptions = {}): Promise<ValidationResult> {
  const env = options.env ?? process.env;
  const read = await readSources(path);
  if ('issue' in read) return failed([read.issue]);
  if (options.refuseEmpty) {
    const empty = emptySourceIssues(read.sources, options.refuseEmpty.allowed);
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
 * Merge, validate, hash — with a turn of the event loop between the steps: a running daemon reloads a large
 * configuration while it serves chats, and each step alone is short enough not to hold them up.
 */
async function check(documents: readonly ParsedSource[], read: readonly SourceText[]): Promise<ValidationResult> {
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

  const data = tree.data as unknown as LivechatConfig;
  const sources = read.map((source) => source.path);
  return { ok: true, data, sources, emptySources: blankSources(read), interpolatedPaths: tree.interpolatedPaths(), hash: configHash(data) };
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

function failed(errors: ConfigIssue[]): { ok: false; errors: ConfigIssue[] } {
  return { ok: false, errors: sortIssues(errors) };
}
