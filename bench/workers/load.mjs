#!/usr/bin/env node
/**
 * A load-generator process. It holds a share of the visitors and agents and drives them with the product's own
 * client (src/client: AgentClient, VisitorClient, nodeSocket) against either target:
 * - `daemon`: visitors register and open rooms over REST, then read and send over /ws/visitor, as the widget does
 *   (with `visitorSend: 'rest'`, they send with POST /api/v1/livechat/message on a keep-alive pool instead, as
 *   Rocket.Chat clients do); agents log in, read and send over /ws/agent;
 * - `raw`: the same client code against bench/raw-ws-server.mjs.
 * A message counts when it is acknowledged (REST 200 or `ack` frame) — for the daemon and the group-commit
 * baseline that means durable. Every phase is bounded by times the orchestrator gives (monotonic ms, shared by
 * all processes), so the generator stops by itself.
 */
import { AgentClient, VisitorClient } from '../../dist/client/index.js';
import { nodeSocket } from '../../dist/client/node.js';
import { monoMs, pool, sleep, sleepUntil, withTimeout } from '../lib/clock.mjs';
import { jsonClient } from '../lib/http-json.mjs';
import { serve } from '../lib/ipc.mjs';
import { BENCH_PASSWORD, visitorToken } from '../lib/tokens.mjs';
import { stormMode } from './storm-mode.mjs';

const ctx = { target: null, http: null, agents: [], visitors: [], connected: 0, mode: null, ids: 0 };

const nextId = () => `${ctx.target.runId}w${ctx.target.worker}m${(++ctx.ids).toString(36)}`;

function sendAsVisitor(v, msg) {
  const id = nextId();
  if (ctx.target.visitorSend === 'rest') return ctx.http.post('/api/v1/livechat/message', { token: v.token, rid: v.rid, msg, _id: id });
  return v.client.send(v.rid, msg, id);
}

const sendAsAgent = (a, rid, msg) => a.client.send(rid, msg, nextId());

function onAgentFrame(a, f) {
  if (f.type === 'ready') for (const r of f.rooms ?? []) a.rooms.add(r.room._id);
  else if (f.type === 'room.assigned') {
    if (f.room?.servedBy?.username === a.username) a.rooms.add(f.room._id);
    else a.rooms.delete(f.room?._id);
  } else if (f.type === 'message') ctx.mode?.agentMessage?.(a, f.message);
}

function onVisitorFrame(v, f) {
  if (f.type === 'ready') {
    v.rid ??= f.room?._id;
    ctx.mode?.visitorReady?.(v);
  } else if (f.type === 'message') ctx.mode?.visitorMessage?.(v, f.message);
}

const connectedVisitors = () => ctx.visitors.slice(0, ctx.connected).filter((v) => v.live && v.rid);

/** Sends a `p|` message from every visitor; each agent answers with `q|`, which triggers the visitor's next one. */
async function pingpong({ startAt, warmUntil, endAt, drainMs = 5_000 }) {
  const c = { visitorAcks: 0, agentAcks: 0, errors: 0, errorSamples: [], inflight: 0 };
  const inWindow = (t) => t >= warmUntil && t < endAt;
  const track = (promise, key) => {
    c.inflight += 1;
    promise.then(
      () => {
        c.inflight -= 1;
        if (inWindow(monoMs())) c[key] += 1;
      },
      (err) => {
        c.inflight -= 1;
        c.errors += 1;
        if (c.errorSamples.length < 3) c.errorSamples.push(String(err?.message ?? err));
      },
    );
  };
  const ping = (v) => {
    if (monoMs() < endAt) track(sendAsVisitor(v, `p|${v.i}`), 'visitorAcks');
  };
  ctx.mode = {
    agentMessage: (a, m) => m.msg.startsWith('p|') && monoMs() < endAt && track(sendAsAgent(a, m.rid, `q|${m.seq}`), 'agentAcks'),
    visitorMessage: (v, m) => m.msg.startsWith('q|') && ping(v),
  };
  await sleepUntil(startAt);
  for (const v of connectedVisitors()) ping(v);
  await sleepUntil(endAt);
  const drainUntil = monoMs() + drainMs;
  while (c.inflight > 0 && monoMs() < drainUntil) await sleep(20);
  ctx.mode = null;
  return c;
}

/**
 * Open loop: this worker's visitors send `perSecond` messages per second in turn, each stamped with the time it
 * was due (so a slow server cannot slow the sender and hide its own latency); agents record due→receipt.
 */
async function rate({ perSecond, offsetMs, startAt, warmUntil, endAt, graceMs = 3_000 }) {
  const c = { sent: 0, sentInWindow: 0, acked: 0, errors: 0, errorSamples: [] };
  const fromDue = [];
  const fromSend = [];
  ctx.mode = {
    agentMessage(a, m) {
      if (!m.msg.startsWith('l|')) return;
      const [, due, sent] = m.msg.split('|');
      if (Number(due) < warmUntil || Number(due) >= endAt) return;
      const now = monoMs();
      fromDue.push(now - Number(due));
      fromSend.push(now - Number(sent));
    },
  };
  const live = connectedVisitors();
  const interval = 1000 / perSecond;
  let k = 0;
  await sleepUntil(startAt);
  await new Promise((resolve) => {
    const tick = () => {
      const now = monoMs();
      for (;;) {
        const due = startAt + offsetMs + k * interval;
        if (due > now || due >= endAt) break;
        const v = live[k % live.length];
        k += 1;
        c.sent += 1;
        // Judged on the stamp the agent side reads back, so a due time rounding across warmUntil counts the same on
        // both sides (it was counted as sent and never as received).
        const stamp = due.toFixed(3);
        if (Number(stamp) >= warmUntil && Number(stamp) < endAt) c.sentInWindow += 1;
        sendAsVisitor(v, `l|${stamp}|${monoMs().toFixed(3)}`).then(
          () => (c.acked += 1),
          (err) => {
            c.errors += 1;
            if (c.errorSamples.length < 3) c.errorSamples.push(String(err?.message ?? err));
          },
        );
      }
      if (startAt + offsetMs + k * interval >= endAt) resolve();
      else setTimeout(tick, 1);
    };
    tick();
  });
  await sleep(graceMs);
  ctx.mode = null;
  return { ...c, fromDue, fromSend };
}

serve({
  init({ kind, url, runId, worker, visitorSend = 'ws', maxSockets = 64 }) {
    ctx.target = { kind, url, runId, worker, visitorSend };
    ctx.http = jsonClient(url, { maxSockets });
    return { pid: process.pid };
  },

  async agents({ names }) {
    const result = await pool(0, names.length, 16, async (k) => {
      const a = { username: names[k], rooms: new Set(), client: new AgentClient({ server: ctx.target.url, socket: nodeSocket }) };
      await a.client.login(a.username, BENCH_PASSWORD);
      const ready = a.client.connect();
      a.client.on((f) => onAgentFrame(a, f));
      await withTimeout(ready, 30_000, `agent ${a.username}: no ready frame`);
      ctx.agents.push(a);
    });
    return { agents: ctx.agents.length, ...result };
  },

  /**
   * Visitors with global indexes [from, to). With `register` (default on the daemon) each registers and opens its
   * room over REST; without, the room already exists (raw server's `prepare`, or a daemon restarted on its data).
   */
  async createVisitors({ from, to, concurrency = 32, register = ctx.target.kind === 'daemon', departments = [] }) {
    const first = ctx.visitors.length;
    for (let i = from; i < to; i += 1) {
      const v = { i, token: visitorToken(ctx.target.runId, i), rid: null, ws: null };
      v.client = new VisitorClient({ server: ctx.target.url, token: v.token, socket: (u) => (v.ws = nodeSocket(u)) });
      ctx.visitors.push(v);
    }
    const statuses = {};
    const result =
      !register
        ? { failed: 0, errors: [] }
        : await pool(first, ctx.visitors.length, concurrency, async (k) => {
            const v = ctx.visitors[k];
            const department = departments.length ? departments[v.i % departments.length] : undefined;
            await v.client.register({ name: `Visitor ${v.i}`, ...(department && { department }) });
            const { room } = await v.client.openRoom();
            v.rid = room._id;
            statuses[room.status] = (statuses[room.status] ?? 0) + 1;
          });
    return { visitors: ctx.visitors.length, statuses, ...result };
  },

  /** Opens /ws/visitor for visitors up to local index `upTo`; resolves when each got `ready` (or timed out). */
  async connectVisitors({ upTo, concurrency = 64, timeoutMs = 30_000 }) {
    const from = ctx.connected;
    const to = Math.min(upTo, ctx.visitors.length);
    const started = monoMs();
    const result = await pool(from, to, concurrency, async (k) => {
      const v = ctx.visitors[k];
      const ready = v.client.connect();
      v.client.on((f) => onVisitorFrame(v, f));
      const frame = await withTimeout(ready, timeoutMs, `visitor ${v.i}: no ready frame`);
      v.rid ??= frame.room?._id ?? null;
      v.live = true;
    });
    ctx.connected = to;
    return { connected: to - result.failed, ms: monoMs() - started, ...result };
  },

  pingpong,
  rate,
  ...stormMode(ctx, { sendAsAgent, connectedVisitors }),

  async stop() {
    // Reset rather than close: a graceful close leaves each connection in TIME_WAIT for a minute, and the idle
    // scenario's tens of thousands of them would still be in the kernel's tables while the next scenario measures.
    for (const v of ctx.visitors) v.ws?._socket?.resetAndDestroy();
    for (const v of ctx.visitors) v.client.disconnect();
    for (const a of ctx.agents) a.client.disconnect();
    ctx.http?.close();
    setTimeout(() => process.exit(0), 50);
    return true;
  },
});
