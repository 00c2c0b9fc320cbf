/**
 * Configuration problems as values: where (file, line, column, YAML path) and what, in words a person can act on.
 * Every stage of loading reports through these; nothing in the pipeline throws for a bad configuration.
 *
 * Invariant: a message never contains a value that came from the environment (see LocatedTree.quote), because
 * `validate` output ends up in CI logs.
 */
import { isAbsolute, relative, resolve } from 'node:path';

export interface ConfigIssue {
  /** Relative to the working directory when the file is inside it, else absolute. */
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  col: number;
  /** `departments[1].agents[0]`, or `(yaml)` for syntax errors and `(file)` for I/O errors. */
  path: string;
  message: string;
}

/** A place in a source file; `file` is already in display form. */
export interface SourcePos {
  file: string;
  line: number;
  col: number;
}

/** One step into the document: a mapping key or a list index. */
export type Segment = string | number;

/** `file:line:col  path: message` — the shape editors and CI annotators recognise. */
export function formatIssue(issue: ConfigIssue): string {
  return `${issue.file}:${issue.line}:${issue.col}  ${issue.path}: ${issue.message}`;
}

export function issueAt(pos: SourcePos, path: string, message: string): ConfigIssue {
  return { file: pos.file, line: pos.line, col: pos.col, path, message };
}

/** How a file is named in issues: relative to the working directory when inside it, else absolute. */
export function displayFile(file: string, cwd: string = process.cwd()): string {
  const absolute = resolve(cwd, file);
  const rel = relative(cwd, absolute);
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? absolute : rel;
}

const IDENTIFIER = /^[A-Za-z_$][\w$-]*$/;

/** `departments[1].agents[0]`; keys that are not plain names are quoted: `server["<<"]`. */
export function formatPath(path: readonly Segment[]): string {
  if (path.length === 0) return '(root)';
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** By file, then line, then column; issues at the same place keep the order they were found in. */
export function sortIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort(
    (a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.col - b.col,
  );
}
