/**
 * The connection-storm steps of a load generator. Visitors' sockets are cut at once from the client side (as a
 * network drop would), the product's client reconnects with its own backoff and resumes from its last seq, while
 * agents keep writing to every room. A visitor is caught up when it has every message written after the drop;
 * a message that never arrives is a loss.
 */
import { monoMs, pool, sleep } from '../lib/clock.mjs';

export function stormMode(ctx, { sendAsAgent, connectedVisitors }) {
  let expected = 0;
  const mode = {
    visitorMessage(v, m) {
      if (m.msg === 'pre') v.pre = true;
      else if (m.msg.startsWith('s|')) {
        v.got.add(m.msg);
        if (v.got.size === expected && !v.caughtAt) v.caughtAt = monoMs();
      }
    },
    visitorReady(v) {
      if (v.dropAt && !v.readyAt) v.readyAt = monoMs();
    },
  };

  const agentsSend = async (texts) => {
    const c = { acks: 0, errors: 0, errorSamples: [] };
    const rooms = ctx.agents.flatMap((a) => [...a.rooms].map((rid) => ({ a, rid })));
    await pool(0, rooms.length, rooms.length, async (k) => {
      const { a, rid } = rooms[k];
      for (const text of texts) {
        try {
          await sendAsAgent(a, rid, text);
          c.acks += 1;
        } catch (err) {
          c.errors += 1;
          if (c.errorSamples.length < 3) c.errorSamples.push(String(err?.message ?? err));
        }
      }
    });
    return { ...c, rooms: rooms.length, doneAt: monoMs() };
  };

  const waitFor = async (test, timeoutMs) => {
    const until = monoMs() + timeoutMs;
    while (monoMs() < until && !connectedVisitors().every(test)) await sleep(10);
    return connectedVisitors().filter((v) => !test(v)).length;
  };

  return {
    stormArm({ messagesPerRoom }) {
      expected = messagesPerRoom;
      for (const v of ctx.visitors) Object.assign(v, { pre: false, got: new Set(), dropAt: 0, readyAt: 0, caughtAt: 0 });
      ctx.mode = mode;
      return { visitors: connectedVisitors().length, agentRooms: ctx.agents.reduce((s, a) => s + a.rooms.size, 0) };
    },
    /** Agents write one message to each of their rooms; proves every visitor is receiving live before the drop. */
    stormPreSend: () => agentsSend(['pre']),
    stormPreWait: async ({ timeoutMs }) => ({ missing: await waitFor((v) => v.pre, timeoutMs) }),
    stormDrop() {
      const at = monoMs();
      for (const v of connectedVisitors()) {
        v.dropAt = at;
        v.ws.terminate();
      }
      return { at, dropped: connectedVisitors().length };
    },
    stormSend: ({ messagesPerRoom }) => agentsSend(Array.from({ length: messagesPerRoom }, (_, j) => `s|${j + 1}`)),
    async stormWait({ timeoutMs }) {
      const behind = await waitFor((v) => v.caughtAt > 0, timeoutMs);
      const live = connectedVisitors();
      ctx.mode = null;
      return {
        visitors: live.length,
        behind,
        missingMessages: live.reduce((s, v) => s + (expected - v.got.size), 0),
        readyAt: live.map((v) => v.readyAt || null),
        caughtAt: live.map((v) => v.caughtAt || null),
      };
    },
  };
}
