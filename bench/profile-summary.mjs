#!/usr/bin/env node
/**
 * Summarises a V8 .cpuprofile (from `npm run bench -- --profile`, written to bench/profiles/): self time by
 * function and by module, and the same with native time (builtins, JSON, syscalls, GC triggered by a call) charged
 * to the JavaScript function that called it, so RESULTS.md / ANALYSIS.md can cite where a missed target spends its
 * time.
 *   node bench/profile-summary.mjs bench/profiles/relay-daemon.cpuprofile [top=25]
 */
import { readFileSync } from 'node:fs';

const [file, topArg] = process.argv.slice(2);
if (!file) {
  console.error('usage: node bench/profile-summary.mjs <file.cpuprofile> [top]');
  process.exit(1);
}
const top = Number(topArg ?? 25);
const profile = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfUs = new Map();
const dt = profile.timeDeltas;
for (let i = 0; i < profile.samples.length; i += 1) selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...selfUs.values()].reduce((a, b) => a + b, 0);

const moduleOf = (url) => {
  if (!url) return '(native/V8)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) return url.slice(nm + 13).split('/').slice(0, url.slice(nm + 13).startsWith('@') ? 2 : 1).join('/');
  const dist = url.indexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.startsWith('node:') ? url : url.replace(/^file:\/\//, '');
};

const parentOf = new Map();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
/** The nearest frame (itself or a caller) that has a script: where native time is charged in the second view. */
const jsFrameOf = (id) => {
  for (let at = id; at !== undefined; at = parentOf.get(at)) if (byId.get(at).callFrame.url) return at;
  return id;
};

const fnKey = (f) => `${f.functionName || '(anonymous)'}  ${moduleOf(f.url)}:${f.lineNumber + 1}`;
const fns = new Map();
const mods = new Map();
const charged = new Map();
const chargedMods = new Map();
const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
for (const [id, us] of selfUs) {
  const { callFrame: f } = byId.get(id);
  add(fns, fnKey(f), us);
  add(mods, moduleOf(f.url), us);
  const js = byId.get(jsFrameOf(id)).callFrame;
  add(charged, fnKey(js), us);
  add(chargedMods, moduleOf(js.url), us);
}
const show = (title, map) => {
  console.log(`\n${title}`);
  for (const [k, us] of [...map].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((us / total) * 100).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
};
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
show('self time by module', mods);
show('self time by function', fns);
show('by module, native time charged to the calling JavaScript', chargedMods);
show('by function, native time charged to the calling JavaScript', charged);
