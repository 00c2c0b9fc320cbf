/** The issue's targets, each evaluated from results.json into one line: value, target, pass (null: not measured). */
const KB = 1024;
const fmt = (x, unit, digits = 2) => (x == null ? 'not measured' : `${x.toFixed(digits)}${unit}`);

export function evaluateTargets({ scenarios: s }) {
  const lines = [];
  const add = (name, value, target, pass, why, windows = []) => {
    const contended = windows.filter((c) => c?.contended).map((c) => c.machine.others);
    lines.push({ name, value, target, pass, ...(why && { why }), ...(contended.length && { contended: `other work on the machine used up to ${Math.max(...contended)} cores while this was measured` }) });
  };

  const m = s.idle?.marginal;
  add(
    `Idle RSS per visitor (marginal, ${m ? `${m.range[0].toLocaleString('en')}→${m.range[1].toLocaleString('en')}` : '?'} connections)`,
    m ? `${(m.daemon.rss / 1024).toFixed(1)} KiB vs raw ${(m.raw.rss / 1024).toFixed(1)} KiB = ${m.rssRatio.toFixed(2)}×` : 'not measured',
    '≤ 1.5× raw ws',
    m ? m.rssRatio <= 1.5 : null,
    s.idle?.error,
  );

  const relay = s.relay;
  const sat = relay?.saturation?.daemon && relay.saturation.rawGroupCommit ? relay.saturation : null;
  const share = sat ? sat.daemon.perSecond / sat.rawGroupCommit.perSecond : null;
  add(
    'Durable relay at saturation',
    share == null ? 'not measured' : `${Math.round(sat.daemon.perSecond)} msg/s = ${percentDown(share)} of raw ws + group commit (${Math.round(sat.rawGroupCommit.perSecond)} msg/s)`,
    '≥ 70% of raw ws + group commit',
    share == null ? null : share >= 0.7,
    relay?.error,
    [sat?.daemon.cores, sat?.rawGroupCommit.cores],
  );

  const lat = relay?.latency?.daemon && relay.latency.rawGroupCommit ? relay.latency : null;
  const limit = lat ? Math.max(2 * lat.rawGroupCommit.fromDue.p99, 5) : null;
  add(
    'p99 visitor→agent latency at 1,000 msg/s',
    lat ? `${fmt(lat.daemon.fromDue.p99, ' ms')} (limit ${fmt(limit, ' ms')} = max(2 × ${fmt(lat.rawGroupCommit.fromDue.p99, ' ms')}, 5 ms))` : 'not measured',
    '≤ max(2× raw ws + group commit p99, 5 ms)',
    lat ? lat.daemon.fromDue.p99 <= limit && lat.daemon.notReceived === 0 : null,
    relay?.error,
    [lat?.daemon.cores, lat?.rawGroupCommit.cores],
  );

  const reload = s.reload;
  add('Config reload p99 (1,000 agents, 100 departments, 200 triggers)', reload?.reload ? fmt(reload.reload.p99, ' ms', 1) : 'not measured', '≤ 75 ms', reload?.reload ? reload.reload.p99 <= 75 : null, reload?.error, [reload?.cores]);
  add('Longest event-loop stall during reloads', reload?.stall ? fmt(reload.stall.max, ' ms', 1) : 'not measured', '≤ 50 ms', reload?.stall ? reload.stall.max <= 50 : null, reload?.error, [reload?.cores]);

  const w = s.widget;
  const measured = w && !w.notMeasured && !w.error;
  const why = w?.notMeasured ?? w?.error;
  add('Loader (gzip, from the network log)', measured ? `${w.loaderBytes} B` : 'not measured', '≤ 3 KB (3,072 B)', measured ? w.loaderBytes <= 3 * KB : null, why);
  add('Page view with the chat closed (total, gzip)', measured ? `${w.closed.bytes} B in ${w.closed.requests} requests` : 'not measured', '≤ 4 KB (4,096 B)', measured ? w.closed.bytes <= 4 * KB : null, why);
  add('Everything fetched to reach a working chat (gzip)', measured ? `${w.working.bytes} B in ${w.working.requests} requests` : 'not measured', '≤ 30 KB (30,720 B)', measured ? w.working.bytes <= 30 * KB : null, why);
  return lines;
}

/** A share as a percentage rounded down to a tenth, so a share just under a limit never prints as the limit. */
function percentDown(share) {
  return `${(Math.floor(share * 1000) / 10).toFixed(1)}%`;
}
