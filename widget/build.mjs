#!/usr/bin/env node
/**
 * Builds the widget into dist/widget/: the loader (plain TypeScript, one IIFE) and the app (Preact; JS and CSS
 * with content hashes, index.html pointing at them). Type-checks first, then prints the gzip size of every file
 * and fails when a budget is exceeded:
 *   - loader: 3 KB gzip;
 *   - everything a visitor downloads to reach a working chat (loader + index.html + app JS + app CSS): 30 KB gzip.
 */
import { spawnSync } from 'node:child_process';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const KB = 1024;
const BUDGET = { loader: 3 * KB, chat: 30 * KB };
const root = dirname(fileURLToPath(import.meta.url));
const out = join(root, '..', 'dist', 'widget');
const browsers = ['chrome92', 'edge92', 'firefox90', 'safari15'];

function typecheck() {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
  if (result.status !== 0) fail('widget: type errors (see above)');
}

function fail(message) {
  console.error(message);
  process.exit(1);
}

async function buildLoader() {
  await build({
    entryPoints: [join(root, 'loader', 'index.ts')],
    outfile: join(out, 'rocketchat-livechat.min.js'),
    // No tsconfig for the loader: its strictness is checked by tsc above, and esbuild would only add a
    // "use strict" prologue that the budget pays for (the loader has no classes and no JSX).
    tsconfigRaw: {},
    bundle: true,
    minify: true,
    format: 'iife',
    target: browsers,
    legalComments: 'none',
    logLevel: 'warning',
  });
  return 'rocketchat-livechat.min.js';
}

async function buildApp() {
  const result = await build({
    entryPoints: { app: join(root, 'app', 'main.tsx') },
    outdir: out,
    entryNames: '[name]-[hash]',
    bundle: true,
    minify: true,
    format: 'iife',
    target: browsers,
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    metafile: true,
    logLevel: 'warning',
  });
  const files = Object.keys(result.metafile.outputs).map((file) => basename(file));
  const js = files.find((f) => f.endsWith('.js'));
  const css = files.find((f) => f.endsWith('.css'));
  if (!js || !css) fail(`widget: unexpected esbuild outputs ${files.join(', ')}`);
  // %BASE% stays: the server fills in how /livechat or /livechat/ reaches these files.
  const template = await readFile(join(root, 'app', 'index.html'), 'utf8');
  await writeFile(join(out, 'index.html'), template.replaceAll('%JS%', js).replaceAll('%CSS%', css));
  return { html: 'index.html', js, css };
}

async function gzipSize(file) {
  return gzipSync(await readFile(join(out, file)), { level: 9 }).length;
}

typecheck();
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
const loader = await buildLoader();
const app = await buildApp();

const rows = [
  ['loader', loader],
  ['app', app.html],
  ['app', app.js],
  ['app', app.css],
];
const sizes = {};
for (const [, file] of rows) sizes[file] = await gzipSize(file);
const chat = Object.values(sizes).reduce((a, b) => a + b, 0);

const pad = (text, n) => String(text).padEnd(n);
const num = (n) => `${String(n).padStart(6)} B`;
console.log('widget (gzip -9):');
for (const [part, file] of rows) console.log(`  ${pad(part, 7)}${pad(file, 32)}${num(sizes[file])}`);
console.log(`  ${pad('loader budget', 39)}${num(sizes[loader])} of ${BUDGET.loader} B`);
console.log(`  ${pad('to a working chat', 39)}${num(chat)} of ${BUDGET.chat} B`);

const over = [];
if (sizes[loader] > BUDGET.loader) over.push(`loader is ${sizes[loader]} B gzip, budget ${BUDGET.loader} B`);
if (chat > BUDGET.chat) over.push(`loader + app is ${chat} B gzip, budget ${BUDGET.chat} B`);
if (over.length) fail(`widget: over budget: ${over.join('; ')}`);
