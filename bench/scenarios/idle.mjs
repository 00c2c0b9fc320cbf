/**
 * Scenario 1 — idle visitors: 1k, 5k and as many as the file-descriptor limit allows, each authenticated on
 * /ws/visitor in an open (served) room. Memory per connection = (after N connected − before any) / N, both taken
 * after a full GC, in a process that did nothing else: the daemon's rooms are created by a first daemon process,
 * which stops; a fresh one on the same data directory is measured (so the garbage of 2N setup requests does not
 * hide in the baseline). The raw `ws` server holds the same count of the same client connections.
 */
import { join } from 'node:path';
import { chatConfig } from '../lib/configs.mjs';
import { agentNames, agentsOf, firstErrors, onAll, shareOf, startDaemon, startRaw, startWorkers, sum } from '../lib/fleet.mjs';
import { sleep } from '../lib/clock.mjs';

const AGENTS = 20;
/** Descriptors kept free in each process besides the sockets: LevelDB files, log, IPC, HTTP pool. */
const RESERVE = 400;

export async function idleScenario(run, out) {
  const names = agentNames(AGENTS);
  const dataDir = join(run.tmpDir, 'idle-data');
  const configYaml = await chatConfig({ dataDir, agents: AGENTS });
  const configDir = join(run.tmpDir, 'idle-config');

  // Rooms first, by a daemon that is then stopped.
  const setup = await startDaemon(run, { name: 'idle-setup-daemon', configYaml, configDir });
  const fds = await setup.proc.call('fds');
  const perWorkerLimit = fds.soft; // workers inherit the same limit
  const max = Math.min(fds.soft - fds.open - RESERVE, run.workers * (perWorkerLimit - RESERVE));
  const counts = [...new Set((run.quick ? [1000, 2000] : [1000, 5000, 10000, 15000, max]).filter((n) => n <= max))];
  const total = counts[counts.length - 1];
  run.log(`idle: fd limit ${fds.soft} → up to ${total} connections; creating ${total} visitors with open rooms`);
  let workers = await startWorkers(run, setup, { name: 'idle-setup' });
  await onAll(workers, 'agents', (i) => ({ names: agentsOf(i, run.workers, names) }));
  const created = await onAll(workers, 'createVisitors', (i) => shareOf(i, run.workers, total), 600_000);
  if (sum(created, 'failed') > 0) throw new Error(`idle: ${sum(created, 'failed')} visitors could not open a room: ${firstErrors(created)}`);
  const served = created.reduce((s, c) => s + (c.statuses.served ?? 0), 0);
  await Promise.all(workers.map((w) => w.stop()));
  await setup.proc.stop(30_000);

  const daemon = await startDaemon(run, { name: 'idle-daemon', configYaml, configDir });
  workers = await startWorkers(run, daemon, { name: 'idle-daemon' });
  const daemonRun = await measure(run, daemon, workers, counts, total);
  await Promise.all([...workers, daemon.proc].map((p) => p.stop()));

  const raw = await startRaw(run, { name: 'idle-raw', mode: 'forward' });
  await raw.proc.call('prepare', { runId: run.runId, count: total, agents: names });
  workers = await startWorkers(run, raw, { name: 'idle-raw' });
  const rawRun = await measure(run, raw, workers, counts, total);
  await Promise.all([...workers, raw.proc].map((p) => p.stop()));

  const [daemonSteps, rawSteps] = [daemonRun.steps, rawRun.steps];
  const marginal = { daemon: slopes(daemonSteps), raw: slopes(rawSteps) };
  Object.assign(out, {
    fdLimit: fds.soft,
    maxConnections: max,
    roomsServed: served,
    baseline: { daemon: daemonRun.baseline, raw: rawRun.baseline },
    rows: counts.map((n, k) => ({
      connections: n,
      daemon: daemonSteps[k],
      raw: rawSteps[k],
      rssRatio: daemonSteps[k].rssPerConn / rawSteps[k].rssPerConn,
      heapRatio: daemonSteps[k].heapPerConn / rawSteps[k].heapPerConn,
    })),
    marginal: { ...marginal, range: marginal.daemon.range, rssRatio: marginal.daemon.rss / marginal.raw.rss, heapRatio: marginal.daemon.heap / marginal.raw.heap },
  });
}

/**
 * Bytes per additional connection: least-squares slope of memory over the steps after the first. The first
 * thousand connections also pay for one-off growth (V8's young generation growing to its working size, socket
 * machinery, allocator arenas), which the raw server, starting from an almost empty heap, pays inside the measured
 * range while the daemon paid it while loading its rooms; the slope leaves that out for both.
 */
function slopes(steps) {
  const points = steps.length > 2 ? steps.slice(1) : steps;
  const fit = (key) => {
    const xs = points.map((p) => p.connections);
    const ys = points.map((p) => p[key]);
    const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
    const my = ys.reduce((a, b) => a + b, 0) / ys.length;
    const num = xs.reduce((s, x, k) => s + (x - mx) * (ys[k] - my), 0);
    const den = xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    return den === 0 ? null : num / den;
  };
  return { range: [points[0].connections, points.at(-1).connections], rss: fit('rssBytes'), heap: fit('heapBytes') };
}

/** How many of worker i's visitors make up its part of the first n. */
function localCount(i, workers, n) {
  const share = shareOf(i, workers, n);
  return share.to - share.from;
}

async function measure(run, server, workers, counts, total) {
  await onAll(workers, 'createVisitors', (i) => ({ ...shareOf(i, run.workers, total), register: false }));
  await sleep(500);
  const before = await server.proc.call('mem');
  const label = `idle-${server.kind}`;
  if (run.profile) await server.proc.call('heapSnapshot', { file: join(run.profileDir, `${label}-0.heapsnapshot`) }, 300_000);
  const steps = [{ connections: 0, rssBytes: before.rss, heapBytes: before.heapUsed, rssMiB: before.rss / 2 ** 20, heapMiB: before.heapUsed / 2 ** 20, heapTotalMiB: before.heapTotal / 2 ** 20 }];
  for (const n of counts) {
    const answers = await onAll(workers, 'connectVisitors', (i) => ({ upTo: localCount(i, run.workers, n), concurrency: 64 }), 600_000);
    const connected = sum(answers, 'connected');
    await sleep(1_000); // let status writes and heartbeats settle before measuring
    const mem = await server.proc.call('mem');
    const fds = await server.proc.call('fds');
    steps.push({
      connections: connected,
      failed: sum(answers, 'failed'),
      errors: firstErrors(answers),
      connectSeconds: Math.max(...answers.map((a) => a.ms)) / 1000,
      rssBytes: mem.rss,
      heapBytes: mem.heapUsed,
      rssMiB: mem.rss / 2 ** 20,
      heapMiB: mem.heapUsed / 2 ** 20,
      rssPerConn: (mem.rss - before.rss) / connected,
      heapPerConn: (mem.heapUsed - before.heapUsed) / connected,
      externalPerConn: (mem.external - before.external) / connected,
      heapTotalMiB: mem.heapTotal / 2 ** 20,
      openFds: fds.open,
    });
    run.log(`idle ${server.kind}${server.mode ? `/${server.mode}` : ''}: ${connected} connected, RSS ${(steps.at(-1).rssPerConn / 1024).toFixed(1)} KiB/conn, heap ${(steps.at(-1).heapPerConn / 1024).toFixed(1)} KiB/conn`);
  }
  if (run.profile) {
    const file = await server.proc.call('heapSnapshot', { file: join(run.profileDir, `${label}-${counts.at(-1)}.heapsnapshot`) }, 300_000);
    run.log(`heap snapshots written: ${file} (compare with bench/heap-diff.mjs)`);
  }
  return { baseline: steps[0], steps: steps.slice(1) };
}
