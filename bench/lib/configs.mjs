/**
 * Generated configurations (YAML, written by the `yaml` package in block style as an operator would write it):
 * - chatConfig: one department with M agents and no chat limit, for the load scenarios and the widget;
 * - reloadConfig: 1,000 agents, 100 departments, 200 triggers, in two variants that differ in a few values, so
 *   every reload between them is applied (not skipped as unchanged).
 */
import YAML from 'yaml';
import { hashPassword } from '../../dist/domain/password.js';
import { agentName, BENCH_PASSWORD } from './tokens.mjs';

const SCRYPT = { ln: 10, r: 8, p: 1 };

/** Written out in full, as a person would: no anchors and aliases for objects that happen to repeat. */
const toYaml = (value) => YAML.stringify(value, { aliasDuplicateObjects: false });

const OFF = { max: 0 };
const NO_RATE_LIMITS = Object.fromEntries(
  ['registrationsPerIp', 'roomsPerIp', 'messagesPerVisitor', 'pageVisitsPerIp', 'offlineMessagesPerIp', 'loginFailuresPerUsername', 'loginFailuresPerIp', 'framesPerConnection'].map((k) => [k, OFF]),
);

/** `count` distinct hashes of the bench password, computed on the thread pool a few at a time. */
export async function passwordHashes(count) {
  const out = [];
  for (let i = 0; i < count; i += 16) {
    out.push(...(await Promise.all(Array.from({ length: Math.min(16, count - i) }, () => hashPassword(BENCH_PASSWORD, SCRYPT)))));
  }
  return out;
}

export async function chatConfig({ dataDir, agents, widget = false }) {
  const hashes = await passwordHashes(1);
  const names = Array.from({ length: agents }, (_, i) => agentName(i));
  const config = {
    // Thousands of clients from one address: the abuse limits are off, as they would be for a load test anywhere.
    server: { listen: '127.0.0.1:0', dataDir, allowedOrigins: [], limits: { wsConnectionsPerIp: 0 } },
    livechat: { routing: 'round-robin', maxChatsPerAgent: 0, agentGraceSeconds: 3600, acceptWithoutAgents: false, limits: NO_RATE_LIMITS },
    agents: names.map((username, i) => ({ username, name: `Agent ${i}`, passwordHash: hashes[0] })),
    departments: [{ id: 'support', name: 'Support', agents: names }],
    ...(widget && {
      appearance: { title: 'Bench support', registrationForm: { enabled: false } },
    }),
  };
  return toYaml(config);
}

/** The two variants of the reload config, plus the agent names that exist in both (for logging agents in). */
export async function reloadConfigs({ dataDir, agents = 1000, departments = 100, triggers = 200 }) {
  const hashes = await passwordHashes(agents);
  const names = Array.from({ length: agents }, (_, i) => agentName(i));
  const base = (variant) => ({
    server: { listen: '127.0.0.1:0', dataDir, allowedOrigins: ['https://www.example.com', 'https://shop.example.com'], limits: { wsConnectionsPerIp: 0 } },
    livechat: { routing: 'round-robin', maxChatsPerAgent: variant === 'a' ? 0 : 500, agentGraceSeconds: 3600, messageMaxLength: 5000, limits: NO_RATE_LIMITS },
    managers: [{ username: 'manager', name: 'Morgan Manager', email: 'manager@example.com', passwordHash: hashes[0] }],
    agents: names.map((username, i) => ({
      username,
      name: `Agent ${i}${variant === 'b' && i % 100 === 0 ? ' (renamed)' : ''}`,
      email: `${username}@example.com`,
      passwordHash: hashes[i],
      ...(i % 7 === 0 && { maxChats: 3 + (i % 5) }),
    })),
    departments: Array.from({ length: departments }, (_, d) => ({
      id: `dept${d}`,
      name: `Department ${d}${variant === 'b' && d % 10 === 0 ? ' (b)' : ''}`,
      enabled: true,
      showOnRegistration: d < 10,
      showOnOfflineForm: d < 10,
      email: `dept${d}@example.com`,
      // 10 agents each, and every agent in one or two departments
      agents: names.filter((_, i) => i % departments === d || (d % 2 === 0 && (i + 1) % departments === d)),
    })),
    triggers: Array.from({ length: triggers }, (_, t) => ({
      id: `trigger${t}`,
      name: `Trigger ${t}`,
      enabled: true,
      runOnce: t % 2 === 0,
      conditions: t % 3 === 0 ? [{ name: 'time-on-site', value: 10 + (t % 50) }] : [{ name: 'page-url', value: `/products/${t}/(details|pricing)` }],
      actions: [
        {
          name: 'send-message',
          params: { sender: t % 2 === 0 ? 'queue' : 'custom', ...(t % 2 === 1 && { name: 'Sales team' }), msg: `Need help with product ${t}?${variant === 'b' ? ' Ask us!' : ''}`, ...(t % 5 === 0 && { delaySeconds: 2 }) },
        },
      ],
    })),
    customFields: [
      { id: 'company', label: 'Company', scope: 'visitor', visibility: 'visible', type: 'input', required: false },
      { id: 'plan', label: 'Plan', scope: 'room', type: 'select', options: ['Free', 'Team', 'Enterprise'], defaultValue: 'Free' },
      { id: 'orderNumber', label: 'Order number', scope: 'visitor', visibility: 'hidden', type: 'input', regexp: '^[0-9]{6,10}$' },
    ],
    appearance: { title: variant === 'a' ? 'Support' : 'Support (b)', color: '#C1272D', offlineTitle: 'Leave a message' },
  });
  return { a: toYaml(base('a')), b: toYaml(base('b')), agents: names };
}
