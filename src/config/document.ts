/**
 * One YAML file → plain data plus the place of every key and value (a LineCounter turns offsets into line:col),
 * with `${...}` interpolated in string values.
 *
 * What is refused here, because later stages could not tell it apart from what the author meant:
 * - YAML errors and warnings (syntax, duplicate keys, unknown tags), at the line they point to;
 * - more than one document in a file;
 * - the keys `__proto__`, `constructor` and `prototype`, anywhere, and merge keys (`<<`), which would otherwise let
 *   an aliased mapping smuggle keys in from elsewhere;
 * - keys that are lists or mappings, aliases that contain themselves, and more than MAX_ALIASES alias expansions.
 */
import {
  isAlias,
  isMap,
  isScalar,
  LineCounter,
  parseAllDocuments,
  type Alias,
  type Document,
  type ParsedNode,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { interpolate, type Env } from './interpolate.js';
import { formatPath, issueAt, type ConfigIssue, type Segment, type SourcePos } from './issues.js';
import type { SourceText } from './read.js';
import { toPointer, type NodeIndex, type NodeInfo, type ParsedDocument } from './tree.js';

const PARSE_OPTIONS = {
  version: '1.2', // YAML 1.2 core schema even under a `%YAML 1.1` directive: `yes`/`on` stay strings
  schema: 'core',
  merge: false, // `<<` stays an ordinary key, which the walk below then refuses by name
  uniqueKeys: true,
  resolveKnownTags: false, // !!binary, !!set, !!timestamp… become warnings instead of non-JSON values
  prettyErrors: false, // issues are placed from `pos` below
} as const;

/** Same bound as yaml's own `maxAliasCount`: a few aliases are convenient, thousands are an attack. */
const MAX_ALIASES = 100;
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export interface ParsedSource extends ParsedDocument {
  issues: ConfigIssue[];
}

export function parseSource(source: SourceText, env: Env): ParsedSource {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(source.text, { ...PARSE_OPTIONS, lineCounter });
  const at = (offset: number): SourcePos => ({ file: source.file, ...lineCounter.linePos(offset) });
  const origin = at(0);
  const empty = { data: {}, nodes: new Map(), origin };

  const issues = documents.flatMap((document) =>
    [...document.errors, ...document.warnings].map((error) => issueAt(at(error.pos[0]), '(yaml)', error.message)),
  );
  const [document, second] = documents;
  if (second)
    issues.push(issueAt(at(second.range[0]), '(yaml)', 'a file holds one YAML document; put more in other files'));
  if (issues.length > 0 || !document || document.contents === null) return { ...empty, issues };
  if (!isMap(document.contents)) {
    const message = 'the top level must be a mapping of sections (server, livechat, agents, …)';
    return { ...empty, issues: [issueAt(at(document.contents.range[0]), formatPath([]), message)] };
  }
  const walk = new Walk(document, at, env);
  const data = walk.mapping(document.contents, []);
  return { data, nodes: walk.nodes, origin, issues: walk.issues };
}

/** Converts YAML nodes to plain values, recording where each key and value was written. */
class Walk {
  readonly nodes: NodeIndex = new Map();
  readonly issues: ConfigIssue[] = [];
  #aliasesExpanded = 0;
  /** Collections being converted right now; an alias to one of them would expand forever. */
  readonly #open = new Set<ParsedNode>();

  constructor(
    private readonly document: Document.Parsed,
    private readonly at: (offset: number) => SourcePos,
    private readonly env: Env,
  ) {}

  mapping(map: YAMLMap.Parsed, path: Segment[]): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.#open.add(map);
    for (const { key: keyNode, value } of map.items) {
      const key = this.#key(keyNode, path);
      // Safe to assign: #key() never returns "__proto__", the one key whose assignment changes the prototype.
      if (key !== undefined) result[key] = this.#value(value, [...path, key]);
    }
    this.#open.delete(map);
    return result;
  }

  /** The key as a string, or undefined (after reporting why) when it cannot be used. */
  #key(node: ParsedNode, parent: Segment[]): string | undefined {
    const pos = this.at(node.range[0]);
    if (!isScalar(node)) {
      this.issues.push(issueAt(pos, formatPath(parent), 'keys must be names, not lists, mappings or aliases'));
      return undefined;
    }
    const key = String(node.value);
    const path = [...parent, key];
    if (key === '<<') {
      this.issues.push(issueAt(pos, formatPath(path), 'merge keys (<<) are not supported; write the keys out'));
      return undefined;
    }
    if (FORBIDDEN_KEYS.has(key)) {
      this.issues.push(issueAt(pos, formatPath(path), `the key "${key}" is not allowed`));
      return undefined;
    }
    this.nodes.set(toPointer(path), { key: pos, value: pos });
    return key;
  }

  /** A value without a node of its own (`key:` and nothing after it) keeps the place #key() gave it. */
  #value(node: ParsedNode | null, path: Segment[]): unknown {
    if (node === null) return null;
    const pointer = toPointer(path);
    const info: NodeInfo = { ...this.nodes.get(pointer), value: this.at(node.range[0]) };
    this.nodes.set(pointer, info);
    return isAlias(node) ? this.#alias(node, path, info) : this.#convert(node, path, info);
  }

  #convert(node: Scalar.Parsed | YAMLMap.Parsed | YAMLSeq.Parsed, path: Segment[], info: NodeInfo): unknown {
    if (isScalar(node)) return this.#scalar(node, path, info);
    if (isMap(node)) return this.mapping(node, path);
    this.#open.add(node);
    const items = node.items.map((item, index) => this.#value(item, [...path, index]));
    this.#open.delete(node);
    return items;
  }

  /** The anchored value, placed at the alias; its children keep their places at the anchor. */
  #alias(alias: Alias.Parsed, path: Segment[], info: NodeInfo): unknown {
    const target = alias.resolve(this.document) as Scalar.Parsed | YAMLMap.Parsed | YAMLSeq.Parsed | undefined;
    if (!target) return null; // yaml has already reported the unknown anchor
    if (this.#open.has(target)) {
      this.issues.push(issueAt(info.value, formatPath(path), `alias *${alias.source} is inside its own anchor`));
      return null;
    }
    if (this.#aliasesExpanded === MAX_ALIASES) {
      this.issues.push(issueAt(info.value, formatPath(path), `more than ${MAX_ALIASES} alias expansions`)); // once
    }
    if (++this.#aliasesExpanded > MAX_ALIASES) return null;
    return this.#convert(target, path, info);
  }

  /** `info` is the scalar's entry in `nodes`; an interpolated scalar's entry keeps the text as written. */
  #scalar(scalar: Scalar.Parsed, path: Segment[], info: NodeInfo): unknown {
    if (typeof scalar.value !== 'string') return scalar.value;
    const { text, variables, problems } = interpolate(scalar.value, this.env);
    for (const problem of problems) this.issues.push(issueAt(info.value, formatPath(path), problem));
    if (variables.length > 0) info.template = scalar.value;
    return text;
  }
}
