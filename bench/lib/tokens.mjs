/** Names shared by the orchestrator, the generators and the raw server, so each can derive them from an index. */
export const visitorToken = (runId, i) => `bk-${runId}-${String(i).padStart(7, '0')}`;
export const agentName = (i) => `agent${String(i).padStart(4, '0')}`;
export const BENCH_PASSWORD = 'bench-password';
