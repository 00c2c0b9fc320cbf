/**
 * The fast path of parsing: js-yaml, about ten times faster than `yaml` on a large configuration, but without the
 * places (file:line:col) that error messages need. A reload or `validate` of a good configuration never needs
 * them, so loadConfig() tries this first and runs the located parse (document.ts) only when something is wrong.
 *
 * Invariant: for any text, this returns either undefined or exactly the data and interpolated paths that
 * parseSource() would return without issues. It keeps that by giving up (undefined) on everything the located
 * parse treats specially — syntax errors, directives, explicit keys, anchors and aliases, merge and refused keys,
 * unknown tags, interpolation problems, anything but a mapping at the top — and by resolving plain scalars with
 * exactly the YAML 1.2 core rules `yaml` applies (js-yaml's own int type also reads `0b…` and signed hex).
 * test/unit/config/quick-parse.test.ts holds the two parsers to it.
 */
import jsyaml from 'js-yaml';
import { interpolate, type Env } from './interpolate.js';
import type { Segment } from './issues.js';
import type { SourceText } from './read.js';
import { toPointer, type NodeIndex, type ParsedDocument } from './tree.js';

const REFUSED_KEYS = new Set(['__proto__', 'constructor', 'prototype', '<<']);

/**
 * What the located parse has rules for: a directive (`%YAML`), an explicit key (`? `), an anchor (`&name`), a tag
 * (`!!float`), a collection right after `{` or `,` (possibly a collection as a key). It may also match inside a
 * string; that only costs the fast path.
 */
/** Whole-line comments say things like `[ipv6]:port, or …`; they cannot hold syntax. */
const COMMENT_LINES = /^\s*#.*$/gm;
const SPECIAL = /^%|^\s*\?(?:\s|$)|(?:^|[\s[{,])[&!]|[{,]\s*[[{]/m;

const scalar = (name: string, test: RegExp, construct: (text: string) => unknown) =>
  new jsyaml.Type(`tag:yaml.org,2002:${name}`, {
    kind: 'scalar',
    resolve: (text: string | null) => text !== null && test.test(text),
    construct: (text: string) => construct(text),
  });

/** YAML 1.2 core, as `yaml` resolves it (schema/core in that package): these regexes are its own. */
const CORE = jsyaml.FAILSAFE_SCHEMA.extend({
  implicit: [
    scalar('null', /^(?:~|[Nn]ull|NULL)?$/, () => null),
    scalar('bool', /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/, (text) => text[0] === 't' || text[0] === 'T'),
    scalar('int', /^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$/, (text) =>
      text.startsWith('0o') ? parseInt(text.slice(2), 8) : text.startsWith('0x') ? parseInt(text.slice(2), 16) : parseInt(text, 10),
    ),
    scalar('float', /^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/, (text) =>
      /nan$/i.test(text) ? NaN : /inf$/i.test(text) ? (text[0] === '-' ? -Infinity : Infinity) : parseFloat(text),
    ),
  ],
});

/** The document as parseSource() would give it, or undefined when only the located parse can tell. */
export function quickParse(source: SourceText, env: Env): (ParsedDocument & { issues: [] }) | undefined {
  if (SPECIAL.test(source.text.replace(COMMENT_LINES, ''))) return undefined;
  let parsed: unknown;
  try {
    parsed = jsyaml.load(source.text, { schema: CORE, filename: source.file });
  } catch {
    return undefined;
  }
  if (!isMapping(parsed)) return undefined;
  const nodes: NodeIndex = new Map();
  const origin = { file: source.file, line: 1, col: 1 };
  return convert(parsed, [], { env, nodes, origin }) ? { data: parsed, nodes, origin, issues: [] } : undefined;
}

interface Walk {
  env: Env;
  /** Only interpolated scalars are recorded (with the text as written), which is all a good document needs. */
  nodes: NodeIndex;
  origin: { file: string; line: number; col: number };
}

/**
 * Interpolates `${...}` in place (js-yaml's fresh result is ours, and without anchors nothing in it is shared);
 * false when any part must go the located way. `path` is one stack, copied only for an interpolated value: this
 * walks every node of configurations with thousands of them.
 */
function convert(value: unknown, path: Segment[], walk: Walk): boolean {
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      path.push(index);
      const ok = convertEntry(value as unknown as Record<string | number, unknown>, index, path, walk);
      path.pop();
      if (!ok) return false;
    }
    return true;
  }
  if (!isMapping(value)) return false;
  for (const key of Object.keys(value)) {
    if (REFUSED_KEYS.has(key)) return false;
    path.push(key);
    const ok = convertEntry(value, key, path, walk);
    path.pop();
    if (!ok) return false;
  }
  return true;
}

function convertEntry(parent: Record<string | number, unknown>, key: string | number, path: Segment[], walk: Walk): boolean {
  const value = parent[key];
  if (typeof value === 'string') {
    if (!value.includes('$')) return true;
    const { text, variables, problems } = interpolate(value, walk.env);
    if (problems.length > 0) return false;
    if (variables.length > 0) walk.nodes.set(toPointer(path), { value: walk.origin, template: value });
    parent[key] = text;
    return true;
  }
  // Null, booleans and numbers as resolved above; any other object than a list or a plain mapping (one whose
  // prototype a `__proto__` key replaced) goes the located way.
  return typeof value !== 'object' || value === null || convert(value, path, walk);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}
