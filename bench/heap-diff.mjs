#!/usr/bin/env node
/**
 * What grew between two heap snapshots (from `npm run bench -- --profile --only=idle`): retained-by-itself bytes
 * and counts per constructor / native type, divided by the number of connections added, largest first.
 *   node bench/heap-diff.mjs before.heapsnapshot after.heapsnapshot CONNECTIONS [top=30]
 */
import { readFileSync } from 'node:fs';

const [before, after, connections, topArg] = process.argv.slice(2);
if (!after || !connections) {
  console.error('usage: node bench/heap-diff.mjs before.heapsnapshot after.heapsnapshot CONNECTIONS [top]');
  process.exit(1);
}

function tally(file) {
  const snap = JSON.parse(readFileSync(file, 'utf8'));
  const fields = snap.snapshot.meta.node_fields;
  const types = snap.snapshot.meta.node_types[0];
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const out = new Map();
  const { nodes, strings } = snap;
  for (let i = 0; i < nodes.length; i += fields.length) {
    const type = types[nodes[i + iType]];
    const key = type === 'object' || type === 'native' || type === 'closure' ? `${type}: ${strings[nodes[i + iName]]}` : `(${type})`;
    const entry = out.get(key) ?? { count: 0, bytes: 0 };
    entry.count += 1;
    entry.bytes += nodes[i + iSize];
    out.set(key, entry);
  }
  return out;
}

const a = tally(before);
const b = tally(after);
const n = Number(connections);
const rows = [...b].map(([k, v]) => ({ k, count: v.count - (a.get(k)?.count ?? 0), bytes: v.bytes - (a.get(k)?.bytes ?? 0) }));
const total = rows.reduce((s, r) => s + r.bytes, 0);
console.log(`${(total / n).toFixed(0)} bytes of heap per connection (${n} connections)\n   bytes/conn  objects/conn  what`);
for (const r of rows.sort((x, y) => y.bytes - x.bytes).slice(0, Number(topArg ?? 30))) {
  console.log(`${(r.bytes / n).toFixed(0).padStart(12)}  ${(r.count / n).toFixed(2).padStart(12)}  ${r.k}`);
}
