/**
 * A validated configuration → the immutable snapshot the daemon serves from: the sections with defaults applied,
 * lookup tables, compiled regular expressions, and a hash that identifies the effective configuration.
 *
 * Invariants:
 * - the snapshot is deeply frozen, so whoever holds one sees one consistent configuration for as long as they like;
 * - lookup tables are null-prototype records, so no key ("constructor", "__proto__") reaches Object.prototype;
 * - the input passed the schema and the semantic checks: listen parses, every regex compiles.
 */
import { createHash } from 'node:crypto';
import { parseListen, type ListenAddress } from './addresses.js';
import type {
  Agent,
  Appearance,
  CustomField,
  Department,
  Livechat,
  LivechatConfig,
  Manager,
  Server,
  Trigger,
  Webhook,
} from './schema-types.js';

export type DeepReadonly<T> = T extends (infer Item)[]
  ? readonly DeepReadonly<Item>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

export type ConfigUser =
  (DeepReadonly<Agent> & { readonly role: 'agent' }) | (DeepReadonly<Manager> & { readonly role: 'manager' });

/** A frozen null-prototype record; with noUncheckedIndexedAccess a lookup is `T | undefined`. */
export type Lookup<T> = Readonly<Record<string, T>>;

export interface ConfigSnapshot {
  /** sha256 (hex) of the effective configuration — interpolated, defaults applied — as canonical JSON. */
  readonly hash: string;
  /** Absolute paths of the files read, in merge order. */
  readonly sources: readonly string[];
  /** `server.listen`, parsed. */
  readonly listen: Readonly<ListenAddress>;
  readonly server: DeepReadonly<Server>;
  readonly livechat: DeepReadonly<Livechat>;
  readonly managers: DeepReadonly<Manager[]>;
  readonly agents: DeepReadonly<Agent[]>;
  readonly departments: DeepReadonly<Department[]>;
  readonly triggers: DeepReadonly<Trigger[]>;
  readonly customFields: DeepReadonly<CustomField[]>;
  readonly appearance: DeepReadonly<Appearance>;
  readonly webhooks: DeepReadonly<Webhook[]>;
  /** Managers and agents by username. */
  readonly users: Lookup<ConfigUser>;
  readonly departmentById: Lookup<DeepReadonly<Department>>;
  /** Every agent's username → the ids of the departments they serve (possibly none), in configuration order. */
  readonly departmentsOfAgent: Lookup<readonly string[]>;
  /** Trigger id → its page-url condition; only triggers that have one. */
  readonly triggerPatterns: Lookup<RegExp>;
  /** Custom field id → its regexp; only fields that have one. */
  readonly customFieldPatterns: Lookup<RegExp>;
  /** Paths (`webhooks[0].url`) of values built from the environment: secrets until proven otherwise, redact them. */
  readonly interpolatedPaths: readonly string[];
  /** Sources with nothing in them but comments: a reload may leave these blank (see coordinator.ts). */
  readonly emptySources: readonly string[];
}

/** sha256 of the configuration as canonical JSON: the same configuration written differently has the same hash. */
export function configHash(config: LivechatConfig): string {
  return createHash('sha256').update(canonicalJson(config)).digest('hex');
}

/** `hash` may come from where the configuration was validated (a worker thread); it is configHash(config). */
export function compileSnapshot(
  config: LivechatConfig,
  sources: readonly string[],
  interpolatedPaths: readonly string[],
  hash = configHash(config),
  emptySources: readonly string[] = [],
): ConfigSnapshot {
  const listen = parseListen(config.server.listen);
  if ('error' in listen) throw new Error(`compileSnapshot: unchecked listen address (${listen.error})`);
  const snapshot: ConfigSnapshot = {
    hash,
    sources: [...sources],
    listen,
    ...config,
    // `role` first: spreading into a literal that has its shape already makes a compact object; adding a field
    // after the spread made each of a thousand users three times the size. The schema allows no `role` key.
    users: lookup<ConfigUser>([
      ...config.managers.map((manager) => [manager.username, { role: 'manager' as const, ...manager }] as const),
      ...config.agents.map((agent) => [agent.username, { role: 'agent' as const, ...agent }] as const),
    ]),
    departmentById: lookup(config.departments.map((department) => [department.id, department])),
    departmentsOfAgent: departmentsOfAgents(config),
    triggerPatterns: lookup(
      config.triggers.flatMap(({ id, conditions }) =>
        conditions.flatMap((condition) =>
          condition.name === 'page-url' ? [[id, new RegExp(condition.value)] as const] : [],
        ),
      ),
    ),
    customFieldPatterns: lookup(
      config.customFields.flatMap(({ id, regexp }) =>
        regexp === undefined ? [] : [[id, new RegExp(regexp)] as const],
      ),
    ),
    interpolatedPaths: [...interpolatedPaths],
    emptySources: [...emptySources],
  };
  return deepFreeze(snapshot);
}

/**
 * One pass over the departments (not one per agent): a reload of a thousand agents must not take a second. The
 * lists are copied to their exact length (a list grown by push keeps room for 17) and agents of no department
 * share one empty list: the snapshot lives on the serving thread until the next reload, so its size is what
 * every reload adds to the old generation there.
 */
function departmentsOfAgents(config: LivechatConfig): Lookup<readonly string[]> {
  const growing = new Map<string, string[]>();
  for (const { id, agents } of config.departments) {
    for (const username of new Set(agents)) {
      const list = growing.get(username);
      if (list) list.push(id);
      else growing.set(username, [id]);
    }
  }
  const none: readonly string[] = [];
  return lookup(config.agents.map(({ username }) => [username, growing.get(username)?.slice() ?? none]));
}

function lookup<T>(entries: Iterable<readonly [string, T]>): Lookup<T> {
  const record = Object.create(null) as Record<string, T>;
  for (const [key, value] of entries) record[key] = value;
  return record;
}

/**
 * Freezes `value` and everything reachable from it. An object already frozen is skipped: everything this module
 * freezes is frozen together with what it reaches, and the input is fresh from the parser, so nothing arrives
 * frozen otherwise. That also makes shared objects (departmentById's values) cost one visit.
 */
function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
  return value;
}

/**
 * JSON with object keys sorted at every level, so key order and formatting in the files do not change the hash.
 * Built by appending to one string (V8 keeps it as a rope until hashed): arrays of parts joined at every level
 * took three times as long on a configuration of a thousand agents, on the worker of every reload.
 */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) text += (i > 0 ? ',' : '') + canonicalJson(value[i]);
    return text + ']';
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record).sort();
  let text = '{';
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    text += (i > 0 ? ',' : '') + JSON.stringify(key) + ':' + canonicalJson(record[key]);
  }
  return text + '}';
}
