/**
 * The postMessage bridge against other origins. A hostile frame (another origin) inside the host page, and the
 * host page's window itself, post Rocket.Chat-shaped messages to the host page's loader and to the app's
 * iframe: both ignore them (no callback fired, no state changed, no request made). And the loader never posts
 * with '*': when its iframe ends up on another origin, what it posts is not delivered there.
 *
 * "Nothing happened" is established without sleeping: messages from one window to another are delivered in the
 * order they were posted, so once a sentinel posted last has arrived (seen by a listener added after the
 * widget's own), the widget has already handled, or dropped, everything posted before it.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, hostPage, launchVisitor, serveHostSite, UI_TIMEOUT, type HostSite, type Visitor } from '../helpers/browser.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';

/** What a hostile page posts, to the loader and to the app alike: every `fn` either side acts on. */
const HOSTILE = [
  { src: 'rocketchat', fn: 'ready', args: [] },
  { src: 'rocketchat', fn: 'callback', args: ['chat-started', { rid: 'evil' }] },
  { src: 'rocketchat', fn: 'callback', args: ['chat-ended'] },
  { src: 'rocketchat', fn: 'callback', args: ['pre-chat-form-submit', { name: 'Evil' }] },
  { src: 'rocketchat', fn: 'callback', args: ['ChatStarted', { rid: 'evil' }] },
  { src: 'rocketchat', fn: 'callback', args: ['ChatMinimized'] },
  { src: 'rocketchat', fn: 'callback', args: ['PrechatFormSubmit', { name: 'Evil' }] },
  { src: 'rocketchat', fn: 'launcher', args: [99, 'Hacked launcher', 'Hacked close'] },
  { src: 'rocketchat', fn: 'active', args: [true] },
  { src: 'rocketchat', fn: 'registered', args: [] },
  { src: 'rocketchat', fn: 'minimizeWindow', args: [] },
  { src: 'rocketchat', fn: 'setOpen', args: [false, false] },
  { src: 'rocketchat', fn: 'setTheme', args: [{ title: 'Hacked title', color: '#ff0000' }] },
  { src: 'rocketchat', fn: 'setLanguage', args: ['de'] },
  { src: 'rocketchat', fn: 'setGuestName', args: ['Evil Name'] },
  { src: 'rocketchat', fn: 'setCustomField', args: ['plan', 'evil'] },
  { src: 'rocketchat', fn: 'setGuestToken', args: ['evil-token-0123456789abcdef'] },
  { src: 'rocketchat', fn: 'registerGuest', args: [{ name: 'Evil', email: 'evil@example.com' }] },
  { src: 'rocketchat', fn: 'trigger', args: ['evil', { name: 'send-message', params: { sender: 'custom', name: 'Support', msg: 'Phish: enter your card number' } }] },
];

const SENTINEL = { sentinel: 'done' };

/** Adds a listener (after the widget's own) that records whether the sentinel arrived in `frame`'s window. */
const watchSentinel = (frame: Frame): Promise<unknown> =>
  frame.evaluate(() => {
    const w = window as unknown as { sentinels: number };
    w.sentinels = 0;
    addEventListener('message', (e: MessageEvent) => {
      if ((e.data as { sentinel?: string } | null)?.sentinel === 'done') w.sentinels += 1;
    });
  });

const sentinelArrived = (frame: Frame, count = 1): Promise<unknown> =>
  frame.waitForFunction((n) => (window as unknown as { sentinels: number }).sentinels >= n, count, { timeout: UI_TIMEOUT });

/** A plain server for the fake widget origin of the last test. */
async function serve(handler: (path: string) => { status?: number; type?: string; headers?: Record<string, string>; body?: string }): Promise<{ origin: string; server: Server }> {
  const server = createServer((req, res) => {
    const { status = 200, type = 'text/html; charset=utf-8', headers = {}, body = '' } = handler(new URL(req.url ?? '/', 'http://x').pathname);
    res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...headers }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const closeServer = (server: Server | undefined): Promise<void> =>
  new Promise((resolve) => {
    if (!server) return resolve();
    server.closeAllConnections();
    server.close(() => resolve());
  });

describeBrowser('widget: the postMessage bridge ignores other origins', () => {
  let site: HostSite;
  let evil: HostSite;
  let daemon: TestDaemon;
  let data: { path: string; remove: () => Promise<void> };
  const visitors: Visitor[] = [];
  const servers: Server[] = [];

  beforeAll(async () => {
    site = await serveHostSite();
    evil = await serveHostSite();
    data = await tempDir();
    daemon = await startDaemon('widget/chat.yaml', { DATA_DIR: data.path, HOST_ORIGIN: site.origin });
    site.page('/', hostPage(daemon.url, { title: 'Shop' }));
    evil.page('/frame', '<!doctype html><title>ad</title><p>an advert</p>');
    await agent(daemon.url, 'alice');
  });

  afterAll(async () => {
    for (const v of visitors) await v.close();
    for (const s of servers) await closeServer(s);
    await daemon?.stop();
    await site?.close();
    await evil?.close();
    await data?.remove();
  });

  async function newPage(): Promise<Page> {
    const visitor = await launchVisitor();
    visitors.push(visitor);
    return visitor.context.newPage();
  }

  /** Puts a frame of the hostile origin into the host page and returns it once loaded. */
  async function hostileFrame(page: Page): Promise<Frame> {
    await page.evaluate((src) => {
      const f = document.createElement('iframe');
      f.src = src;
      f.id = 'advert';
      document.body.append(f);
    }, `${evil.origin}/frame`);
    const handle = await page.waitForSelector('#advert');
    const frame = await handle.contentFrame();
    await frame!.waitForLoadState();
    return frame!;
  }

  it('the loader ignores messages from a frame of another origin and from the host window itself', async () => {
    const page = await newPage();
    await page.goto(`${site.origin}/`);
    const launcher = page.getByRole('button', { name: /Shop support/ });
    await launcher.click();
    const app = page.frameLocator('iframe[title="Shop support"]');
    await app.getByLabel('Name').waitFor(); // the app is up and the bridge handshake done
    const before = await page.evaluate(() => ({
      events: JSON.stringify((window as unknown as { livechatEvents: unknown[] }).livechatEvents),
      storage: JSON.stringify({ ...localStorage }),
    }));
    const label = await page.getByRole('button', { name: 'Close chat' }).getAttribute('aria-label');

    const advert = await hostileFrame(page);
    await watchSentinel(page.mainFrame());
    // from the hostile frame, to the host page (with '*' and with the host's exact origin)
    await advert.evaluate(
      ({ messages, sentinel, host }) => {
        for (const m of messages) {
          parent.postMessage(m, '*');
          parent.postMessage(m, host);
        }
        parent.postMessage(sentinel, '*');
      },
      { messages: HOSTILE, sentinel: SENTINEL, host: site.origin },
    );
    await sentinelArrived(page.mainFrame(), 1);
    // from the host page's own window (a script of the page, or anything injected into it)
    await page.evaluate(
      ({ messages, sentinel }) => {
        for (const m of messages) postMessage(m, '*');
        postMessage(sentinel, '*');
      },
      { messages: HOSTILE, sentinel: SENTINEL },
    );
    await sentinelArrived(page.mainFrame(), 2);

    const after = await page.evaluate(() => ({
      events: JSON.stringify((window as unknown as { livechatEvents: unknown[] }).livechatEvents),
      storage: JSON.stringify({ ...localStorage }),
    }));
    expect(after).toEqual(before); // no callback fired, no hint stored (active, open)
    const close = page.getByRole('button', { name: 'Close chat' });
    expect(await close.getAttribute('aria-label')).toBe(label); // launcher not relabelled
    expect(await close.getAttribute('aria-expanded')).toBe('true'); // not minimized
    expect(await page.locator('iframe[title="Shop support"]').isVisible()).toBe(true);
    expect(await page.getByText('Hacked', { exact: false }).count()).toBe(0);
  });

  it('the app ignores messages from a frame of another origin', async () => {
    const page = await newPage();
    await page.goto(`${site.origin}/`);
    await page.getByRole('button', { name: /Shop support/ }).click();
    const app = page.frameLocator('iframe[title="Shop support"]');
    await app.getByLabel('Name').waitFor();
    const appFrame = page.frames().find((f) => f.url().startsWith(`${daemon.url}/livechat`))!;
    expect(appFrame).toBeDefined();

    const requests: string[] = [];
    page.on('request', (req) => {
      if (req.url().startsWith(`${daemon.url}/api/`)) requests.push(`${req.method()} ${new URL(req.url()).pathname}`);
    });
    await watchSentinel(appFrame);
    // A sibling frame of the host page cannot even reach the app's window (iframes in a shadow root are not in
    // window.frames), so the hostile frame sits inside the app's document, where `parent` is the app.
    await appFrame.evaluate((src) => {
      const f = document.createElement('iframe');
      f.src = src;
      f.id = 'advert';
      document.body.append(f);
    }, `${evil.origin}/frame`);
    const advert = (await (await appFrame.waitForSelector('#advert', { state: 'attached' })).contentFrame())!;
    await advert.waitForLoadState();
    await advert.evaluate(
      ({ messages, sentinel, server }) => {
        for (const m of messages) {
          parent.postMessage(m, '*');
          parent.postMessage(m, server);
        }
        parent.postMessage(sentinel, '*');
      },
      { messages: HOSTILE, sentinel: SENTINEL, server: daemon.url },
    );
    await sentinelArrived(appFrame);

    await app.getByRole('heading', { name: 'Shop support' }).waitFor(); // no setTheme
    expect(await app.getByText('Hacked title').count()).toBe(0);
    expect(await app.getByText('Phish: enter your card number').count()).toBe(0); // no trigger message
    expect(await app.getByLabel('Name').inputValue()).toBe(''); // no setGuestName
    expect(await app.getByRole('button', { name: 'Start chat' }).count()).toBe(1); // still English, still unregistered
    expect(requests).toEqual([]); // no custom.field, no registration, no config reload for another token
    expect(await page.getByRole('button', { name: 'Close chat' }).getAttribute('aria-expanded')).toBe('true');

    // The same calls from the host page, through the loader, do change things: the test can see a change.
    await page.evaluate(() =>
      (window as unknown as { RocketChat: (fn: (this: { setTheme(t: object): void }) => void) => void }).RocketChat(function () {
        this.setTheme({ title: 'Checkout help' });
      }),
    );
    await appFrame.getByRole('heading', { name: 'Checkout help' }).waitFor(); // (the iframe's title changed too)
  });

  it('the loader posts only to the exact origin of its iframe, never with "*"', async () => {
    const received: unknown[] = [];
    // The spy: a page of another origin that the widget's iframe is navigated to after the handshake.
    const spy = await serve((path) =>
      path === '/spy'
        ? {
            body: `<!doctype html><title>spy</title><script>
window.received = [];
addEventListener('message', function (e) { window.received.push(e.data); });
</script>`,
          }
        : { status: 404 },
    );
    servers.push(spy.server);
    const loader = readFileSync(new URL('../../dist/widget/rocketchat-livechat.min.js', import.meta.url), 'utf8');
    // A widget origin whose app says `ready` to its parent and then navigates away to the spy.
    const widget = await serve((path) => {
      if (path === '/livechat/rocketchat-livechat.min.js') return { type: 'text/javascript', body: loader };
      if (path === '/api/v1/livechat/config') {
        return { type: 'application/json', headers: { 'access-control-allow-origin': '*' }, body: JSON.stringify({ config: { enabled: true, online: true, theme: { title: 'Fake support' } } }) };
      }
      if (path === '/livechat') {
        return {
          body: `<!doctype html><title>app</title><script>
parent.postMessage({ src: 'rocketchat', fn: 'ready', args: [] }, location.ancestorOrigins[0]);
location.replace(${JSON.stringify(`${spy.origin}/spy`)});
</script>`,
        };
      }
      return { status: 404 };
    });
    servers.push(widget.server);
    site.page('/fake', hostPage(`${widget.origin}`, { title: 'Fake' }));

    const page = await newPage();
    await page.goto(`${site.origin}/fake`);
    await page.getByRole('button', { name: /Fake support/ }).click();
    await page.waitForFunction(() => {
      const root = document.querySelector('.rocketchat-widget')?.shadowRoot;
      return !!root?.querySelector('iframe');
    });
    const isSpy = (f: Frame): boolean => f.url() === `${spy.origin}/spy`;
    await expect.poll(() => page.frames().some(isSpy), { timeout: UI_TIMEOUT }).toBe(true);
    const spyFrame = page.frames().find(isSpy)!;
    await spyFrame.waitForFunction(() => Array.isArray((window as unknown as { received?: unknown[] }).received));

    // The loader is past its handshake: these go straight to the iframe's window, now the spy's.
    await page.evaluate(() => {
      (window as unknown as { RocketChat: (fn: (this: Record<string, (...a: unknown[]) => void>) => void) => void }).RocketChat(function () {
        this.setCustomField('plan', 'gold');
        this.setGuestName('Hannah Host');
        this.setTheme({ title: 'Fake support' });
        this.minimizeWidget();
        this.maximizeWidget();
        this.pageVisited('url');
      });
      const iframe = document.querySelector('.rocketchat-widget')!.shadowRoot!.querySelector('iframe')!;
      iframe.contentWindow!.postMessage({ sentinel: 'done' }, '*');
    });
    await spyFrame.waitForFunction(() => (window as unknown as { received: unknown[] }).received.length > 0, undefined, { timeout: UI_TIMEOUT });
    received.push(...(await spyFrame.evaluate(() => (window as unknown as { received: unknown[] }).received)));
    expect(received).toEqual([SENTINEL]);
  });
});
