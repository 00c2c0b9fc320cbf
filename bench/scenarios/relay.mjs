/**
 * Scenario 2 — chat relay: V visitors and M agents in one department (round-robin routing, no chat limit) against
 * the daemon, the raw `ws` server forwarding from memory, and the raw `ws` server with LevelDB group commit.
 *
 * - Saturation: every visitor sends, its agent answers the moment the message arrives, the answer triggers the
 *   visitor's next message (V conversations in flight at once). Counted: acknowledged messages, both directions,
 *   per second over the window (durable for the daemon and the group-commit baseline).
 * - Latency: visitors send 1,000 msg/s in total on a fixed schedule (open loop); agents only read. Latency is from
 *   the time each message was due to the agent's receipt, across processes on the shared monotonic clock.
 */
import { join } from 'node:path';
import { monoMs, sleep, sleepUntil } from '../lib/clock.mjs';
import { chatConfig } from '../lib/configs.mjs';
import { coresText, cpuMeter } from '../lib/cpu.mjs';
import { agentNames, agentsOf, firstErrors, onAll, profiled, shareOf, startDaemon, startRaw, startWorkers, sum } from '../lib/fleet.mjs';
import { summarize } from '../lib/stats.mjs';

// The daemon twice: visitors sending over /ws/visitor as the product's widget and client do (the targets are
// judged on this one), and over REST as Rocket.Chat clients do (saturation only: the same path otherwise).
const TARGETS = [
  { key: 'daemon', label: 'daemon' },
  { key: 'daemonRest', label: 'daemon, visitors send over REST', visitorSend: 'rest', saturationOnly: true },
  { key: 'rawForward', label: 'raw ws (forward)', mode: 'forward' },
  { key: 'rawGroupCommit', label: 'raw ws + group commit', mode: 'group-commit' },
];

export async function relayScenario(run, out) {
  const visitors = run.quick ? 500 : 2000;
  const agents = run.quick ? 20 : 50;
  const rate = 1000;
  const w = run.quick ? { warm: 500, saturation: 2000, latency: 3000, grace: 1000 } : { warm: 2000, saturation: 10_000, latency: 10_000, grace: 3000 };
  const names = agentNames(agents);
  Object.assign(out, { visitors, agents, ratePerSecond: rate, windowsMs: w, saturation: {}, latency: {} });

  for (const t of TARGETS) {
    const server =
      t.mode === undefined
        ? await startDaemon(run, { name: `relay-${t.key}`, configYaml: await chatConfig({ dataDir: join(run.tmpDir, `relay-${t.key}-data`), agents }), configDir: join(run.tmpDir, `relay-${t.key}-config`) })
        : await startRaw(run, { name: `relay-${t.mode}`, mode: t.mode, dataDir: join(run.tmpDir, `relay-${t.mode}-data`) });
    if (server.kind === 'raw') await server.proc.call('prepare', { runId: run.runId, count: visitors, agents: names });
    const workers = await startWorkers(run, server, { name: `relay-${t.key}`, visitorSend: t.visitorSend });
    const pids = { server: [server.proc.pid], generators: workers.map((p) => p.pid) };
    const joined = await onAll(workers, 'agents', (i) => ({ names: agentsOf(i, run.workers, names) }));
    const created = await onAll(workers, 'createVisitors', (i) => shareOf(i, run.workers, visitors), 300_000);
    const connected = await onAll(workers, 'connectVisitors', (i) => ({ upTo: visitors }), 300_000);
    const failed = sum(joined, 'failed') + sum(created, 'failed') + sum(connected, 'failed');
    if (failed > 0) throw new Error(`relay ${t.label}: setup failed for ${failed} clients: ${firstErrors([...joined, ...created, ...connected])}`);
    run.log(`relay ${t.label}: ${agents} agents, ${sum(connected, 'connected')} visitors connected`);

    // Saturation.
    let quiet = await run.waitForQuiet();
    let startAt = monoMs() + 500;
    let plan = { startAt, warmUntil: startAt + w.warm, endAt: startAt + w.warm + w.saturation };
    let meter = measureCores(pids, plan);
    const pp = await profiled(run, server, t.key === 'daemon' ? 'relay-saturation' : `relay-saturation-${t.key}`, () => onAll(workers, 'pingpong', () => plan, w.warm + w.saturation + 30_000));
    const acks = sum(pp, 'visitorAcks') + sum(pp, 'agentAcks');
    out.saturation[t.key] = {
      perSecond: acks / (w.saturation / 1000),
      visitorPerSecond: sum(pp, 'visitorAcks') / (w.saturation / 1000),
      agentPerSecond: sum(pp, 'agentAcks') / (w.saturation / 1000),
      errors: sum(pp, 'errors'),
      errorSamples: firstErrors(pp),
      cores: await meter,
      quiet,
    };
    const sat = out.saturation[t.key];
    // CPU the server spent per message: hardly affected by other work on the machine, unlike msg/s.
    sat.serverCpuUsPerMessage = (sat.cores.server.cores * 1e6) / sat.perSecond;
    run.log(`relay ${t.label}: ${Math.round(sat.perSecond)} msg/s at saturation, ${sat.serverCpuUsPerMessage.toFixed(0)} µs server CPU per message; ${coresText(sat.cores)}`);
    await sleep(1_000);
    if (t.saturationOnly) {
      await Promise.all([...workers, server.proc].map((p) => p.stop()));
      continue;
    }

    // Latency at a fixed rate.
    quiet = await run.waitForQuiet();
    startAt = monoMs() + 500;
    plan = { startAt, warmUntil: startAt + w.warm, endAt: startAt + w.warm + w.latency };
    meter = measureCores(pids, plan);
    const lat = await profiled(run, server, 'relay-latency', () =>
      onAll(workers, 'rate', (i) => ({ ...plan, perSecond: rate / run.workers, offsetMs: (i * 1000) / rate, graceMs: w.grace }), w.warm + w.latency + 30_000),
    );
    const fromDue = lat.flatMap((a) => a.fromDue);
    const sentInWindow = sum(lat, 'sentInWindow');
    out.latency[t.key] = {
      fromDue: summarize(fromDue),
      fromSend: summarize(lat.flatMap((a) => a.fromSend)),
      sentInWindow,
      notReceived: sentInWindow - fromDue.length, // not at the agent within the grace period: late or lost
      errors: sum(lat, 'errors'),
      errorSamples: firstErrors(lat),
      achievedPerSecond: sentInWindow / (w.latency / 1000),
      cores: await meter,
      quiet,
    };
    run.log(`relay ${t.label}: at ${rate} msg/s p50 ${out.latency[t.key].fromDue.p50?.toFixed(2)} ms, p99 ${out.latency[t.key].fromDue.p99?.toFixed(2)} ms, not received ${out.latency[t.key].notReceived}; ${coresText(out.latency[t.key].cores)}`);
    await Promise.all([...workers, server.proc].map((p) => p.stop()));
  }
}

/** Cores used by each side between plan.warmUntil and plan.endAt. */
async function measureCores(pids, plan) {
  await sleepUntil(plan.warmUntil);
  const meter = cpuMeter(pids);
  await sleepUntil(plan.endAt);
  return meter.stop();
}
