/**
 * Scenario 3 — connection storm: 2,000 visitors, each in a served room, all lose their socket at the same moment
 * (cut on the client side, as a network drop would). The product's client reconnects with its own backoff and
 * resumes from the last seq it delivered, while every agent keeps writing K messages to each of their rooms.
 * Measured from the drop: until every visitor has `ready` again, and until every visitor holds all K messages
 * ("caught up"). Any message an agent got an ack for that a visitor never received is a loss.
 */
import { join } from 'node:path';
import { chatConfig } from '../lib/configs.mjs';
import { coresText, cpuMeter } from '../lib/cpu.mjs';
import { agentNames, agentsOf, firstErrors, onAll, profiled, shareOf, startDaemon, startRaw, startWorkers, sum } from '../lib/fleet.mjs';
import { summarize } from '../lib/stats.mjs';

const TARGETS = [
  { key: 'daemon', label: 'daemon' },
  { key: 'raw', label: 'raw ws (forward)', mode: 'forward' },
];

export async function stormScenario(run, out) {
  const visitors = run.quick ? 1000 : 2000;
  const agents = run.quick ? 25 : 50;
  const messagesPerRoom = 3;
  const timeoutMs = 30_000;
  const names = agentNames(agents);
  Object.assign(out, { visitors, agents, messagesPerRoom, timeoutMs });

  for (const t of TARGETS) {
    const server =
      t.key === 'daemon'
        ? await startDaemon(run, { name: 'storm-daemon', configYaml: await chatConfig({ dataDir: join(run.tmpDir, 'storm-data'), agents }), configDir: join(run.tmpDir, 'storm-config') })
        : await startRaw(run, { name: 'storm-raw', mode: t.mode });
    if (server.kind === 'raw') await server.proc.call('prepare', { runId: run.runId, count: visitors, agents: names });
    const workers = await startWorkers(run, server, { name: `storm-${t.key}` });
    const joined = await onAll(workers, 'agents', (i) => ({ names: agentsOf(i, run.workers, names) }));
    const created = await onAll(workers, 'createVisitors', (i) => shareOf(i, run.workers, visitors), 300_000);
    const connected = await onAll(workers, 'connectVisitors', () => ({ upTo: visitors }), 300_000);
    const failed = sum(joined, 'failed') + sum(created, 'failed') + sum(connected, 'failed');
    if (failed > 0) throw new Error(`storm ${t.label}: setup failed for ${failed} clients: ${firstErrors([...joined, ...created, ...connected])}`);

    const armed = await onAll(workers, 'stormArm', () => ({ messagesPerRoom }));
    await onAll(workers, 'stormPreSend', () => ({}), timeoutMs);
    const pre = await onAll(workers, 'stormPreWait', () => ({ timeoutMs }), timeoutMs + 5_000);
    if (sum(pre, 'missing') > 0) throw new Error(`storm ${t.label}: ${sum(pre, 'missing')} visitors never received the message sent before the drop`);

    const quiet = await run.waitForQuiet();
    const meter = cpuMeter({ server: [server.proc.pid], generators: workers.map((w) => w.pid) });
    const drops = await onAll(workers, 'stormDrop');
    const t0 = Math.min(...drops.map((d) => d.at));
    const [sent, waited] = await profiled(run, server, 'storm', () =>
      Promise.all([onAll(workers, 'stormSend', () => ({ messagesPerRoom }), timeoutMs + 10_000), onAll(workers, 'stormWait', () => ({ timeoutMs }), timeoutMs + 10_000)]),
    );
    const cores = meter.stop();
    const since = (times) => times.filter((x) => x !== null).map((x) => x - t0);
    const ready = since(waited.flatMap((w) => w.readyAt));
    const caught = since(waited.flatMap((w) => w.caughtAt));
    const result = {
      dropped: sum(drops, 'dropped'),
      rooms: sum(armed, 'agentRooms'),
      acked: sum(sent, 'acks'),
      sendErrors: sum(sent, 'errors'),
      sendErrorSamples: firstErrors(sent),
      sendingMs: Math.max(...sent.map((s) => s.doneAt)) - t0,
      reconnected: ready.length,
      allReconnectedMs: ready.length === sum(drops, 'dropped') ? Math.max(...ready) : null,
      reconnect: summarize(ready),
      caughtUp: summarize(caught),
      allCaughtUpMs: sum(waited, 'behind') === 0 ? Math.max(...caught) : null,
      behind: sum(waited, 'behind'),
      lost: sum(waited, 'missingMessages'),
      cores,
      quiet,
    };
    out[t.key] = result;
    run.log(
      `storm ${t.label}: ${result.dropped} dropped; all back in ${result.allReconnectedMs?.toFixed(0)} ms; all caught up in ${result.allCaughtUpMs?.toFixed(0)} ms; ${result.acked} acked, ${result.lost} lost; ${coresText(cores)}`,
    );
    await Promise.all([...workers, server.proc].map((p) => p.stop()));
  }
  if (out.daemon?.allCaughtUpMs != null && out.raw?.allCaughtUpMs != null) out.ratio = out.daemon.allCaughtUpMs / out.raw.allCaughtUpMs;
}
