/**
 * The checks a JSON Schema cannot express: uniqueness, cross-references, usable password hashes, regular
 * expressions that compile, addresses that parse, opening hours that make sense.
 *
 * A check runs only when every section it reads passed the schema, so it can rely on the shapes and defaults the
 * schema guarantees, and it never reports a consequence of an error that was already reported.
 */
import { parsePasswordHash } from '../domain/password.js';
import { httpUrlProblem, originProblem, parseListen } from './addresses.js';
import { formatPath, type ConfigIssue, type Segment } from './issues.js';
import type { LivechatConfig, Week } from './schema-types.js';
import type { LocatedTree } from './tree.js';

interface Context {
  config: LivechatConfig;
  report(path: Segment[], message: string): void;
  /** A value for a message; see LocatedTree.quote. */
  quote(path: Segment[], value: unknown): string;
}

interface Check {
  reads: readonly (keyof LivechatConfig)[];
  run(context: Context): void;
}

const CHECKS: readonly Check[] = [
  { reads: ['server'], run: checkServer },
  { reads: ['livechat'], run: checkBusinessHours },
  { reads: ['managers', 'agents'], run: checkUsers },
  { reads: ['departments'], run: checkDepartmentIds },
  { reads: ['departments', 'agents', 'managers'], run: checkDepartmentAgents },
  { reads: ['triggers'], run: checkTriggers },
  { reads: ['customFields'], run: checkCustomFields },
  { reads: ['webhooks'], run: checkWebhooks },
];

/** `tree.data` must have been through validateSchema(), which reported `invalidSections`. */
export function checkSemantics(tree: LocatedTree, invalidSections: ReadonlySet<string>): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const context: Context = {
    config: tree.data as unknown as LivechatConfig,
    report: (path, message) => issues.push(tree.issue(path, message)),
    quote: (path, value) => tree.quote(path, value),
  };
  for (const check of CHECKS) if (check.reads.every((section) => !invalidSections.has(section))) check.run(context);
  return issues;
}

function checkServer({ config: { server }, report }: Context): void {
  const listen = parseListen(server.listen);
  if ('error' in listen) report(['server', 'listen'], listen.error);
  const publicUrlProblem = server.publicUrl === undefined ? undefined : httpUrlProblem(server.publicUrl);
  if (publicUrlProblem) report(['server', 'publicUrl'], publicUrlProblem);
  server.allowedOrigins.forEach((origin, i) => {
    const problem = originProblem(origin);
    if (problem) report(['server', 'allowedOrigins', i], problem);
  });
}

const DAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const satisfies readonly (keyof Week)[];

function checkBusinessHours({ config, report }: Context): void {
  const { timezone, week } = config.livechat.businessHours;
  const path = ['livechat', 'businessHours'];
  if (!isTimeZone(timezone))
    report([...path, 'timezone'], 'unknown time zone; use an IANA name such as Europe/Berlin or UTC');
  for (const day of DAYS) {
    week[day]?.forEach((interval, i) => {
      // The schema guarantees "HH:MM-HH:MM", so the halves compare as strings.
      const [start = '', end = ''] = interval.split('-');
      if (start >= end) report([...path, 'week', day, i], 'the interval must end after it starts');
    });
  }
}

function checkUsers(context: Context): void {
  const { managers, agents } = context.config;
  const people = [
    ...managers.map((user, i) => ({ user, path: ['managers', i] })),
    ...agents.map((user, i) => ({ user, path: ['agents', i] })),
  ];
  reportDuplicates(
    context,
    'username',
    people.map(({ user, path }) => ({ key: user.username, path: [...path, 'username'] })),
  );
  for (const { user, path } of people) {
    const parsed = parsePasswordHash(user.passwordHash);
    if ('error' in parsed) context.report([...path, 'passwordHash'], parsed.error);
  }
}

function checkDepartmentIds(context: Context): void {
  reportDuplicates(context, 'department id', idsOf('departments', context.config.departments));
}

function checkDepartmentAgents({ config, report, quote }: Context): void {
  const agents = new Set(config.agents.map((agent) => agent.username));
  const managers = new Set(config.managers.map((manager) => manager.username));
  config.departments.forEach((department, i) => {
    department.agents.forEach((username, j) => {
      if (agents.has(username)) return;
      const path = ['departments', i, 'agents', j];
      const name = quote(path, username);
      report(
        path,
        managers.has(username) ? `${name} is a manager; only agents serve departments` : `unknown agent ${name}`,
      );
    });
  });
}

function checkTriggers(context: Context): void {
  const { triggers } = context.config;
  reportDuplicates(context, 'trigger id', idsOf('triggers', triggers));
  triggers.forEach((trigger, i) => {
    const conditions = trigger.conditions.map((condition, j) => ({
      condition,
      path: ['triggers', i, 'conditions', j],
    }));
    reportDuplicates(
      context,
      'condition',
      conditions.map(({ condition, path }) => ({ key: condition.name, path: [...path, 'name'] })),
    );
    for (const { condition, path } of conditions) {
      const problem = condition.name === 'page-url' ? regexProblem(condition.value) : undefined;
      if (problem) context.report([...path, 'value'], problem);
    }
  });
}

function checkCustomFields(context: Context): void {
  const { config, report, quote } = context;
  reportDuplicates(context, 'custom field id', idsOf('customFields', config.customFields));
  config.customFields.forEach((field, i) => {
    const path = ['customFields', i];
    if (field.type === 'select' && !field.options) report(path, 'a select field needs options');
    if (field.type === 'input' && field.options) report([...path, 'options'], 'only select fields have options');
    const problem = field.regexp === undefined ? undefined : regexProblem(field.regexp);
    if (problem) report([...path, 'regexp'], problem);
    // Like Rocket.Chat, an empty value is not checked against regexp or options.
    if (!field.defaultValue) return;
    if (field.options && !field.options.includes(field.defaultValue)) {
      const choices = field.options.map((option, k) => quote([...path, 'options', k], option)).join(', ');
      report([...path, 'defaultValue'], `must be one of the options: ${choices}`);
    } else if (field.regexp !== undefined && !problem && !new RegExp(field.regexp).test(field.defaultValue)) {
      report([...path, 'defaultValue'], 'does not match regexp');
    }
  });
}

function checkWebhooks(context: Context): void {
  const { webhooks } = context.config;
  reportDuplicates(context, 'webhook id', idsOf('webhooks', webhooks));
  webhooks.forEach((webhook, i) => {
    const problem = httpUrlProblem(webhook.url);
    if (problem) context.report(['webhooks', i, 'url'], problem);
  });
}

interface Keyed {
  key: string;
  path: Segment[];
}

function idsOf(section: keyof LivechatConfig, items: readonly { id: string }[]): Keyed[] {
  return items.map((item, i) => ({ key: item.id, path: [section, i, 'id'] }));
}

/** Reports each entry whose key repeats an earlier entry's, naming where the earlier one is. */
function reportDuplicates({ report, quote }: Context, what: string, entries: Keyed[]): void {
  const first = new Map<string, Segment[]>();
  for (const { key, path } of entries) {
    const earlier = first.get(key);
    if (earlier) report(path, `duplicate ${what} ${quote(path, key)} (also at ${formatPath(earlier)})`);
    else first.set(key, path);
  }
}

/** Why `source` does not compile as a JavaScript regular expression, without repeating it. */
function regexProblem(source: string): string | undefined {
  try {
    new RegExp(source);
    return undefined;
  } catch (error) {
    // V8: "Invalid regular expression: /<source>/<flags>: <reason>" — keep only the reason.
    const message = (error as Error).message;
    return `invalid regular expression: ${message.slice(message.lastIndexOf(': ') + 2)}`;
  }
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
