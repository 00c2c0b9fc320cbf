/**
 * What a reload would change, one line per difference, for `livechatd plan`:
 *   + department sales          - agent bob          ~ trigger welcome.conditions
 *   ~ livechat.routing: "round-robin" → "manual"
 * Values are shown for plain settings and never for secrets (password hashes, webhook tokens, anything that came
 * from the environment): those lines say `(secret)`.
 */
import type { ConfigSnapshot } from './compile.js';

export type ConfigSections = Pick<ConfigSnapshot, 'server' | 'livechat' | 'managers' | 'agents' | 'departments' | 'triggers' | 'customFields' | 'appearance' | 'webhooks'>;

const LISTS = [
  ['departments', 'department', 'id'],
  ['managers', 'manager', 'username'],
  ['agents', 'agent', 'username'],
  ['triggers', 'trigger', 'id'],
  ['customFields', 'customField', 'id'],
  ['webhooks', 'webhook', 'id'],
] as const;
const OBJECTS = ['server', 'livechat', 'appearance'] as const;
const SECRET_KEYS = new Set(['passwordHash', 'secretToken']);

export const REDACTED = '[redacted]';

export function diffConfig(before: ConfigSections, after: ConfigSections, secretPaths: readonly string[] = []): string[] {
  const secret = new Set(secretPaths);
  const lines: string[] = [];
  for (const section of OBJECTS) diffValue(section, section, before[section], after[section], lines, secret);
  for (const [section, noun, key] of LISTS) {
    const was = byKey(before[section] as readonly Record<string, unknown>[], key);
    const now = byKey(after[section] as readonly Record<string, unknown>[], key);
    (after[section] as readonly Record<string, unknown>[]).forEach((item, index) => {
      const id = String(item[key]);
      const old = was.get(id);
      if (!old) return void lines.push(`+ ${noun} ${id}`);
      diffValue(`${noun} ${id}`, `${section}[${index}]`, old.item, item, lines, secret);
    });
    for (const [id] of was) if (!now.has(id)) lines.push(`- ${noun} ${id}`);
  }
  return lines;
}

/** A copy with every secret replaced, for showing or sending a configuration (the admin API, plan --server). */
export function redactConfig(config: ConfigSections, secretPaths: readonly string[] = []): ConfigSections {
  const secret = new Set(secretPaths);
  const walk = (value: unknown, path: string, key: string): unknown => {
    if (SECRET_KEYS.has(key) || secret.has(path)) return value === undefined ? undefined : REDACTED;
    if (Array.isArray(value)) return value.map((v, i) => walk(v, `${path}[${i}]`, ''));
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, path ? `${path}.${k}` : k, k)]));
    }
    return value;
  };
  const sections = ['server', 'livechat', 'managers', 'agents', 'departments', 'triggers', 'customFields', 'appearance', 'webhooks'] as const;
  return Object.fromEntries(sections.map((s) => [s, walk(config[s], s, s)])) as unknown as ConfigSections;
}

function diffValue(label: string, path: string, a: unknown, b: unknown, lines: string[], secret: Set<string>): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const key = path.split(/[.[]/).at(-1) ?? '';
  const isSecret = SECRET_KEYS.has(key) || secret.has(path);
  if (isPlainObject(a) && isPlainObject(b) && !isSecret) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      diffValue(`${label}.${k}`, `${path}.${k}`, a[k], b[k], lines, secret);
    }
    return;
  }
  if (isSecret) return void lines.push(`~ ${label} (secret)`);
  if (isScalarish(a) && isScalarish(b)) return void lines.push(`~ ${label}: ${show(a)} → ${show(b)}`);
  lines.push(`~ ${label}`);
}

function byKey(items: readonly Record<string, unknown>[], key: string): Map<string, { item: Record<string, unknown> }> {
  return new Map(items.map((item) => [String(item[key]), { item }]));
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Scalars, and arrays of scalars (a department's agents), are short enough to show inline. */
function isScalarish(v: unknown): boolean {
  return v === undefined || v === null || typeof v !== 'object' || (Array.isArray(v) && v.every((x) => x === null || typeof x !== 'object'));
}

function show(v: unknown): string {
  return v === undefined ? '(unset)' : JSON.stringify(v);
}
