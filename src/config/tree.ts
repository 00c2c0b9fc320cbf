/**
 * The configuration as plain data, plus where each value was written and whether it came from the environment.
 * Places are keyed by JSON Pointer (RFC 6901), the form of ajv's `instancePath`, so a schema error maps straight
 * back to the YAML that caused it.
 *
 * Invariant: `data` holds only plain objects, arrays, strings, numbers, booleans and null, and no key named
 * `__proto__`, `constructor` or `prototype` (document.ts refuses them).
 */
import { formatPath, issueAt, type ConfigIssue, type Segment, type SourcePos } from './issues.js';

export interface NodeInfo {
  /** Where the value starts. */
  value: SourcePos;
  /** Where its key starts, for an entry of a mapping. */
  key?: SourcePos;
  /** The scalar as written, for a value built by `${...}` interpolation. */
  template?: string;
}

export type NodeIndex = Map<string, NodeInfo>;

/** One file, parsed. */
export interface ParsedDocument {
  data: Record<string, unknown>;
  nodes: NodeIndex;
  /** Start of the document, where issues about it as a whole point. */
  origin: SourcePos;
}

export function toPointer(path: readonly Segment[]): string {
  return path.map((segment) => `/${String(segment).replaceAll('~', '~0').replaceAll('/', '~1')}`).join('');
}

/** Splits a JSON Pointer into segments; a segment is a list index (a number) where the data holds a list. */
export function fromPointer(pointer: string, data: unknown): Segment[] {
  const path: Segment[] = [];
  let node = data;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    const segment = Array.isArray(node) ? Number(key) : key;
    path.push(segment);
    node = node !== null && typeof node === 'object' ? (node as Record<Segment, unknown>)[segment] : undefined;
  }
  return path;
}

export class LocatedTree {
  constructor(
    readonly data: Record<string, unknown>,
    private readonly nodes: NodeIndex,
    private readonly origin: SourcePos,
  ) {}

  /** An issue about the value at `path`, or about its key (e.g. an unknown key). */
  issue(path: readonly Segment[], message: string, at: 'value' | 'key' = 'value'): ConfigIssue {
    const info = this.#closest(path);
    return issueAt((at === 'key' ? info.key : undefined) ?? info.value, formatPath(path), message);
  }

  /**
   * A value for a message: JSON-quoted — unless it came from the environment, in which case only the text as
   * written in the file is shown, because interpolated values are secrets until proven otherwise.
   */
  quote(path: readonly Segment[], value: unknown): string {
    const template = this.nodes.get(toPointer(path))?.template;
    return template === undefined ? JSON.stringify(value) : `from ${JSON.stringify(template)} (value not shown)`;
  }

  /** Paths (`webhooks[0].secretToken`) of every value built by interpolation, for redaction. */
  interpolatedPaths(): string[] {
    return [...this.nodes]
      .filter(([, info]) => info.template !== undefined)
      .map(([pointer]) => formatPath(fromPointer(pointer, this.data)));
  }

  /** Where `path` was written; for a value no file wrote (a default), its closest written ancestor. */
  #closest(path: readonly Segment[]): NodeInfo {
    for (let length = path.length; length >= 0; length--) {
      const info = this.nodes.get(toPointer(path.slice(0, length)));
      if (info) return info;
    }
    return { value: this.origin };
  }
}

/**
 * Merges files by top-level key, in the order given. A key defined by two files is an issue at the second,
 * naming the first: merging deeper would make "which file wins" a question people have to ask.
 */
export function mergeDocuments(documents: readonly ParsedDocument[]): { tree: LocatedTree; issues: ConfigIssue[] } {
  const [first] = documents;
  if (!first) throw new Error('mergeDocuments needs at least one document'); // readSources never yields none
  const data: Record<string, unknown> = {};
  const nodes: NodeIndex = new Map();
  const definedAt = new Map<string, SourcePos>();
  const issues: ConfigIssue[] = [];
  for (const document of documents) {
    const owned = new Set<string>();
    for (const [key, value] of Object.entries(document.data)) {
      const keyPos = document.nodes.get(toPointer([key]))?.key ?? document.origin;
      const earlier = definedAt.get(key);
      if (earlier) {
        const message = `also defined in ${earlier.file}:${earlier.line}; a top-level key may appear in one file only`;
        issues.push(issueAt(keyPos, formatPath([key]), message));
        continue;
      }
      definedAt.set(key, keyPos);
      owned.add(toPointer([key]));
      data[key] = value;
    }
    for (const [pointer, info] of document.nodes) if (owned.has(topLevel(pointer))) nodes.set(pointer, info);
  }
  return { tree: new LocatedTree(data, nodes, first.origin), issues };
}

/** `/agents/0/name` → `/agents`. */
function topLevel(pointer: string): string {
  const end = pointer.indexOf('/', 1);
  return end === -1 ? pointer : pointer.slice(0, end);
}
