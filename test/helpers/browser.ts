/**
 * Browser tests: Debian's chromium driven by playwright-core (never a downloaded browser), and host pages on a
 * second origin (a node:http server on 127.0.0.1:0) that embed the widget with Rocket.Chat's standard snippet.
 *
 * Without /usr/bin/chromium the browser tests are skipped with a one-line notice, except in CI (CI=true), where
 * a missing browser is a failure: .ci/run installs it.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { describe } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available && process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: CI must run the browser tests (apt-get install chromium)`);
if (!available) console.warn(`skipping browser tests: ${CHROMIUM} not found (apt-get install chromium)`);

/** `describe` when chromium is there, `describe.skip` otherwise. */
export const describeBrowser = available ? describe : describe.skip;

/** Bounded waits for anything the browser does (Playwright's auto-waiting locators use it). */
export const UI_TIMEOUT = 10_000;

/** Screenshots go here (gitignored): test-results/widget/<name>.png. */
export const ARTIFACTS = join(process.cwd(), 'test-results', 'widget');

export interface Visitor {
  context: BrowserContext;
  close(): Promise<void>;
}

/** A browser with a fresh profile: one visitor (their storage survives reloads, not the next visitor). */
export async function launchVisitor(options: { viewport?: { width: number; height: number }; locale?: string } = {}): Promise<Visitor> {
  const profile = await mkdtemp(join(tmpdir(), 'livechatd-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: options.viewport ?? { width: 1000, height: 760 },
    locale: options.locale ?? 'en-US',
  });
  context.setDefaultTimeout(UI_TIMEOUT);
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`) });
}

export interface HostSite {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  /** Serves `html` at `path` (anything else is a 404). */
  page(path: string, html: string): void;
  /** Serves the file at `diskPath` (read on each request; type from its extension) at `path`. */
  file(path: string, diskPath: string): void;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.html': 'text/html; charset=utf-8' };

/** A second origin for the host pages. */
export async function serveHostSite(): Promise<HostSite> {
  const pages = new Map<string, string>();
  const files = new Map<string, string>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path === '/favicon.ico') return res.writeHead(204).end();
    const file = files.get(path);
    if (file !== undefined) {
      return void readFile(file).then(
        (body) => res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' }).end(body),
        () => res.writeHead(500, { 'content-type': 'text/plain' }).end(`cannot read ${file}`),
      );
    }
    const html = pages.get(path);
    res.writeHead(html === undefined ? 404 : 200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    page: (path, html) => pages.set(path, html),
    file: (path, diskPath) => files.set(path, diskPath),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every host-page callback the tests look at; each call is recorded in `window.livechatEvents`. */
const CALLBACKS = ['onChatStarted', 'onChatEnded', 'onPrechatFormSubmit', 'onOfflineFormSubmit', 'onAssignAgent', 'onServiceOffline', 'onChatMaximized', 'onChatMinimized'];

/**
 * A host page with Rocket.Chat's standard embed snippet pointing at `server`, recording the widget's callbacks.
 * `api` is JavaScript run with `this` = the widget API (e.g. `this.setDepartment('sales')`).
 */
export function hostPage(server: string, options: { title?: string; api?: string } = {}): string {
  const title = options.title ?? 'Host page';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family:sans-serif;margin:40px">
<h1>${title}</h1>
<p>A page of a shop that embeds the chat.</p>
<script type="text/javascript">
window.livechatEvents = [];
(function(w, d, s, u) {
  w.RocketChat = function(c) { w.RocketChat._.push(c) }; w.RocketChat._ = []; w.RocketChat.url = u;
  var h = d.getElementsByTagName(s)[0], j = d.createElement(s);
  j.async = true; j.src = '${server}/livechat/rocketchat-livechat.min.js?_=201903270000';
  h.parentNode.insertBefore(j, h);
})(window, document, 'script', '${server}/livechat');
RocketChat(function() {
  var api = this;
  ${JSON.stringify(CALLBACKS)}.forEach(function(name) {
    api[name](function(data) { window.livechatEvents.push({ name: name, data: data }); });
  });
  ${options.api ?? ''}
});
</script>
</body></html>`;
}

/** Resolves once the host page recorded the callback `name` (bounded by UI_TIMEOUT). */
export async function callbackFired(page: Page, name: string): Promise<unknown> {
  const handle = await page.waitForFunction(
    (n) => (window as unknown as { livechatEvents: { name: string; data: unknown }[] }).livechatEvents.find((e) => e.name === n) ?? false,
    name,
    { timeout: UI_TIMEOUT },
  );
  return ((await handle.jsonValue()) as { data: unknown }).data;
}
