/**
 * The official Rocket.Chat Livechat widget (npm @rocket.chat/livechat 1.13.3, a devDependency, unmodified) against
 * livechatd with `appearance.widget: rocketchat`:
 * - serving (no browser): index.html with SERVER_URL injected, the build's files, the classic snippet's paths;
 * - end to end in Chromium: a host page on another origin embeds the widget with the classic snippet; a visitor
 *   registers and writes; an agent (our client, on /ws/agent) takes the chat, types, replies and closes; the widget
 *   shows all of it over REST + DDP. Screenshots of each step go to test-results/rocketchat-widget/.
 *
 * Chromium is Debian's (/usr/bin/chromium); without it the browser part is skipped with a notice, except under
 * CI=true, where a missing browser fails the run.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SHOTS = join(process.cwd(), 'test-results', 'rocketchat-widget');
const PACKAGE = dirname(createRequire(import.meta.url).resolve('@rocket.chat/livechat/package.json'));
const UI_WAIT = { timeout: 15_000 };

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function daemon(fixture: string, env: Record<string, string>): Promise<TestDaemon> {
  const dir = await tempDir();
  const d = await startDaemon(fixture, { DATA_DIR: dir.path, ...env });
  cleanups.push(() => dir.remove(), () => d.stop());
  return d;
}

describe('the official widget, served by livechatd', () => {
  it('serves index.html with SERVER_URL after <body>, the build files (also one livechat/ deeper) and the loader', async () => {
    const d = await daemon('ddp/rocketchat-widget.yaml', { HOST_ORIGIN: 'http://shop.example' });
    const original = await readFile(join(PACKAGE, 'build', 'index.html'), 'utf8');
    for (const path of ['/livechat', '/livechat/', '//livechat?mode=popout']) {
      const res = await fetch(d.url + path);
      expect(res.status, 'is rocketchatWidgetRoutes mounted in src/http/app.ts, before widgetRoutes?').toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('x-frame-options')).toBeNull();
      expect(res.headers.get('content-security-policy')).toBe("frame-ancestors 'self' http://shop.example");
      expect(await res.text()).toBe(original.replace('<body>', `<body><script> SERVER_URL = "${d.url}"; </script>`));
    }
    const bundle = /src="livechat\/(bundle\.\w+\.js)"/.exec(original)![1]!;
    const bundleBytes = await readFile(join(PACKAGE, 'build', bundle));
    for (const path of [`/livechat/${bundle}`, `/livechat/livechat/${bundle}`]) {
      const res = await fetch(d.url + path);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      expect(Buffer.from(await res.arrayBuffer()).equals(bundleBytes)).toBe(true);
    }
    const loader = await readFile(join(PACKAGE, 'build', 'rocketchat-livechat.min.js'), 'utf8');
    for (const path of ['/livechat/rocketchat-livechat.min.js?_=201903270000', '/packages/rocketchat_livechat/assets/rocket-livechat.js']) {
      const res = await fetch(d.url + path);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toBe(loader);
    }
    for (const path of ['/livechat/nope.js', '/livechat/%2e%2e/package.json', '/livechat/..%2fpackage.json', '/livechat/.hidden']) {
      const res = await fetch(d.url + path);
      expect(res.status, path).toBe(404);
      expect(await res.json()).toMatchObject({ success: false, errorType: 'not-found' });
    }
  });

  it('serves an unpacked build from a path (the package folder or its build/), with SERVER_URL from publicUrl', async () => {
    const d = await daemon('ddp/rocketchat-widget-path.yaml', { WIDGET_PATH: PACKAGE, PUBLIC_URL: 'https://chat.example.com/support/' });
    expect(await (await fetch(`${d.url}/livechat`)).text()).toContain('<body><script> SERVER_URL = "https://chat.example.com/support"; </script><script src="livechat/');

    const missing = await daemon('ddp/rocketchat-widget-path.yaml', { WIDGET_PATH: '/nonexistent/livechat-build', PUBLIC_URL: 'https://chat.example.com' });
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${missing.url}/livechat`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ success: false, error: 'The configured widget build is not installed [widget-unavailable]', errorType: 'widget-unavailable' });
    }
    expect(missing.logs.filter((l) => l.includes('no Rocket.Chat Livechat build'))).toHaveLength(1);
  });

  it('leaves /livechat to our own widget by default', async () => {
    const d = await daemon('ddp/manual.yaml', {});
    const res = await fetch(`${d.url}/livechat`);
    expect(await res.text()).not.toContain('Rocket.Chat.Livechat');
  });
});

const haveChromium = existsSync(CHROMIUM);
const mustRun = process.env.CI === 'true';
if (!haveChromium && !mustRun) console.warn(`rocketchat-widget e2e skipped: ${CHROMIUM} not found (apt-get install -y chromium)`);

describe.skipIf(!haveChromium && !mustRun)('the official widget in Chromium', () => {
  it('registers, chats with an agent who types and replies, and shows the chat as finished', { timeout: 90_000 }, async () => {
    if (!haveChromium) throw new Error(`CI=true but ${CHROMIUM} is missing: install Debian's chromium`);
    const host = await hostPage();
    const d = await daemon('ddp/rocketchat-widget.yaml', { HOST_ORIGIN: host.origin });
    host.setDaemon(d.url);
    const bob = await agent(d.url, 'bob');
    cleanups.push(() => bob.client.disconnect());
    const served = await (await fetch(`${d.url}/livechat`)).text();
    expect(served, 'is rocketchatWidgetRoutes mounted in src/http/app.ts, before widgetRoutes?').toContain('SERVER_URL');
    const page = await browserPage();
    const shot = screenshots(page);

    await page.goto(host.origin);
    const chat = page.frameLocator('#rocketchat-iframe');
    await chat.getByText('Shop support').first().waitFor({ state: 'attached', ...UI_WAIT });
    await shot('1-minimized');

    // Open the widget and register.
    await page.locator('#rocketchat-iframe').click();
    await chat.locator('input[name="name"]').fill('Jane Doe', UI_WAIT);
    await chat.locator('input[name="email"]').fill('jane@example.com');
    await shot('2-registration');
    await chat.getByRole('button', { name: 'Start chat' }).click();

    // Write: the room is created on the first message; bob sees the queued chat and the message.
    const composer = chat.locator('[contenteditable="true"]');
    await composer.click(UI_WAIT);
    await composer.pressSequentially('Hi, where is my order?');
    await composer.press('Enter');
    const queued = await bob.frames.next((f) => f.type === 'room.queued');
    const rid = (queued.room as { _id: string })._id;
    expect(await bob.frames.next((f) => f.type === 'message' && f.rid === rid)).toMatchObject({ message: { msg: 'Hi, where is my order?', u: { name: 'Jane Doe' } } });
    await chat.getByText('Hi, where is my order?').waitFor(UI_WAIT);
    await shot('3-message-sent');

    // bob takes the chat (agentData over DDP: the widget shows him), types, replies.
    await bob.client.take(rid);
    await chat.getByText('Bob Agent').first().waitFor(UI_WAIT);
    bob.client.typing(rid, true);
    await chat.locator('[class*="typing-dots"]').first().waitFor(UI_WAIT);
    await shot('4-agent-typing');
    await bob.client.send(rid, 'Hello Jane, it ships today.');
    bob.client.typing(rid, false);
    await chat.getByText('Hello Jane, it ships today.').waitFor(UI_WAIT);
    await chat.locator('[class*="typing-dots"]').first().waitFor({ state: 'detached', ...UI_WAIT });
    await shot('5-agent-reply');

    // bob closes: the livechat-close message takes the widget to the chat-finished screen.
    await bob.client.close(rid, 'Thanks!');
    await chat.getByText('Thanks for chatting with us').waitFor(UI_WAIT);
    await shot('6-chat-finished');
  });
});

/** The site that embeds the widget, on its own origin, with the classic Rocket.Chat snippet. */
async function hostPage(): Promise<{ origin: string; setDaemon: (url: string) => void }> {
  let daemonUrl = '';
  const server: Server = createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end(`<!doctype html><html><head><title>Shop</title></head><body><h1>Shop</h1>
<script type="text/javascript">
(function(w, d, s, u) {
	w.RocketChat = function(c) { w.RocketChat._.push(c) }; w.RocketChat._ = []; w.RocketChat.url = u;
	var h = d.getElementsByTagName(s)[0], j = d.createElement(s);
	j.async = true; j.src = '${daemonUrl}/livechat/rocketchat-livechat.min.js?_=201903270000';
	h.parentNode.insertBefore(j, h);
})(window, document, 'script', '${daemonUrl}/livechat');
</script></body></html>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, setDaemon: (url) => (daemonUrl = url) };
}

async function browserPage(): Promise<Page> {
  const profile = await tempDir('livechatd-chromium-');
  const context: BrowserContext = await chromium.launchPersistentContext(profile.path, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  cleanups.push(() => profile.remove(), () => context.close());
  return context.pages()[0] ?? (await context.newPage());
}

function screenshots(page: Page): (name: string) => Promise<void> {
  return async (name) => {
    await mkdir(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `${name}.png`) });
  };
}
