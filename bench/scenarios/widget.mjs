/**
 * Scenario 5 — widget weight, measured in Chromium from the network log (encoded body bytes as received, so gzip
 * where the server compressed): a host page on another origin embeds the standard Rocket.Chat snippet pointing at
 * the daemon. (1) The page view with the chat closed: everything fetched from the daemon until the network is
 * quiet. (2) A working chat: the visitor opens the launcher and sends a message, until an agent (the product's
 * AgentClient) has received it and the network is quiet again — the total since the page load. WebSocket
 * frames are not counted (they are traffic, not weight).
 */
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { AgentClient } from '../../dist/client/index.js';
import { nodeSocket } from '../../dist/client/node.js';
import { monoMs, sleep, withTimeout } from '../lib/clock.mjs';
import { chatConfig } from '../lib/configs.mjs';
import { startDaemon } from '../lib/fleet.mjs';
import { agentName, BENCH_PASSWORD } from '../lib/tokens.mjs';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const LOADER = fileURLToPath(new URL('../../dist/widget/rocketchat-livechat.min.js', import.meta.url));
const UI_TIMEOUT = 15_000;

export async function widgetScenario(run, out) {
  const missing = !existsSync(CHROMIUM)
    ? `${CHROMIUM} is not installed`
    : run.build?.widgetOk === false
      ? `the widget build failed (${lastLine(run.build.widgetOutput)})`
      : !existsSync(LOADER)
        ? 'the widget is not built (dist/widget/ has no loader)'
        : null;
  if (missing) return void (out.notMeasured = missing);
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    return void (out.notMeasured = 'playwright-core is not installed');
  }

  const daemon = await startDaemon(run, {
    name: 'widget-daemon',
    configYaml: await chatConfig({ dataDir: join(run.tmpDir, 'widget-data'), agents: 1, widget: true }),
    configDir: join(run.tmpDir, 'widget-config'),
  });
  const agent = new AgentClient({ server: daemon.url, socket: nodeSocket });
  await agent.login(agentName(0), BENCH_PASSWORD);
  const agentReady = agent.connect();
  const received = new Promise((resolve) => agent.on((f) => f.type === 'message' && f.message.msg === 'Hello from the bench' && resolve()));
  await agentReady;
  const site = await hostSite(daemon.url);
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    out.chromium = browser.version();
    const context = await browser.newContext();
    context.setDefaultTimeout(UI_TIMEOUT);
    const log = networkLog(context, new URL(daemon.url).origin);
    const page = await context.newPage();

    log.phase = 'closed';
    await page.goto(site.url, { waitUntil: 'load' });
    const launcher = page.locator('.rocketchat-widget button').first();
    await launcher.waitFor({ state: 'visible' });
    await log.quiet();
    out.closed = await log.tally('closed');
    out.loaderBytes = (await log.entries()).find((e) => e.path.endsWith('/rocketchat-livechat.min.js'))?.bodyBytes ?? null;

    log.phase = 'opening';
    await launcher.click();
    const app = page.frameLocator('iframe');
    const composer = app.locator('textarea').last();
    await composer.fill('Hello from the bench');
    await composer.press('Enter');
    await withTimeout(received, UI_TIMEOUT, 'the agent never received the visitor message');
    await log.quiet();
    out.working = await log.tally();
    out.requests = await log.entries();
    out.unmeasured = log.failed;
  } catch (err) {
    out.notMeasured = `the widget did not reach a working chat: ${String(err.message ?? err).split('\n')[0]}`;
  } finally {
    await browser.close();
    agent.disconnect();
    await site.close();
    await daemon.proc.stop();
  }
}

/** Responses from the daemon's origin as Chromium saw them, with the phase they were fetched in. */
function networkLog(context, origin) {
  const pending = [];
  const log = { phase: 'closed', failed: [], last: monoMs() };
  context.on('request', () => (log.last = monoMs()));
  context.on('requestfailed', (req) => {
    log.last = monoMs();
    log.failed.push({ url: req.url(), error: req.failure()?.errorText });
  });
  context.on('requestfinished', (req) => {
    log.last = monoMs();
    const phase = log.phase;
    if (new URL(req.url()).origin !== origin) return;
    pending.push(
      Promise.all([req.sizes(), req.response()]).then(async ([sizes, res]) => {
        const encoding = res?.headers()['content-encoding'] ?? 'identity';
        const body = encoding === 'identity' ? await res?.body().catch(() => null) : null;
        return {
          path: new URL(req.url()).pathname,
          type: req.resourceType(),
          status: res?.status() ?? null,
          encoding,
          bodyBytes: sizes.responseBodySize,
          // what an uncompressed response would have weighed gzipped (gzip -6), for the report's explanation
          gzipIfCompressed: body ? gzipSync(body).length : sizes.responseBodySize,
          headerBytes: sizes.responseHeadersSize,
          phase,
        };
      }),
    );
  });
  log.entries = () => Promise.all(pending);
  log.tally = async (phase) => {
    const entries = (await log.entries()).filter((e) => phase === undefined || e.phase === phase);
    const total = (key) => entries.reduce((s, e) => s + e[key], 0);
    return { bytes: total('bodyBytes'), gzipIfCompressed: total('gzipIfCompressed'), headerBytes: total('headerBytes'), requests: entries.length, uncompressed: entries.filter((e) => e.encoding === 'identity').length };
  };
  /** Resolves once nothing was requested or finished for `ms` (bounded by UI_TIMEOUT). */
  log.quiet = async (ms = 1_000) => {
    const until = monoMs() + UI_TIMEOUT;
    while (monoMs() - log.last < ms && monoMs() < until) await sleep(100);
  };
  return log;
}

async function hostSite(server) {
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host page</title></head><body><h1>A shop</h1>
<script type="text/javascript">
(function(w, d, s, u) {
  w.RocketChat = function(c) { w.RocketChat._.push(c) }; w.RocketChat._ = []; w.RocketChat.url = u;
  var h = d.getElementsByTagName(s)[0], j = d.createElement(s);
  j.async = true; j.src = '${server}/livechat/rocketchat-livechat.min.js?_=201903270000';
  h.parentNode.insertBefore(j, h);
})(window, document, 'script', '${server}/livechat');
</script></body></html>`;
  const http = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(html);
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${http.address().port}/`,
    close: () => new Promise((resolve) => (http.closeAllConnections(), http.close(() => resolve()))),
  };
}

const lastLine = (text = '') => text.trim().split('\n').at(-1) ?? '';
