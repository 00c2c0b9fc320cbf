/**
 * The host page's API (`RocketChat(function(){ this.… })`): setDepartment routes the chat to that department
 * (and the form stops asking), setCustomField values end up on the visitor (scope visitor) and on the room
 * (scope room), setGuestName prefills the form, setLanguage switches the widget's language, setTheme its colour
 * and title. The page the visitor is on is recorded once they register.
 *
 * Then the rest of the API, each call on a fresh visitor: showWidget/hideWidget, maximizeWidget/minimizeWidget
 * (and RocketChat(fn) called after the loader ran), setGuestToken, registerGuest, setAgent, initialize,
 * clearDepartment (before and after registration) and page.visited on pushState and title changes.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AgentClient } from '../../src/client/index.js';
import { openStore } from '../../src/daemon/store.js';
import type { Page, Request } from 'playwright-core';
import { callbackFired, describeBrowser, hostPage, launchVisitor, serveHostSite, UI_TIMEOUT, type HostSite, type Visitor } from '../helpers/browser.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent, visitor as apiVisitor, type Recorder } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';

describeBrowser('widget: the host page API', () => {
  let site: HostSite;
  let daemon: TestDaemon;
  let data: { path: string; remove: () => Promise<void> };
  let visitor: Visitor;
  let alice: { client: AgentClient; frames: Recorder };

  beforeAll(async () => {
    site = await serveHostSite();
    data = await tempDir();
    daemon = await startDaemon('widget/chat.yaml', { DATA_DIR: data.path, HOST_ORIGIN: site.origin });
    const api = `
      this.setDepartment('sales');
      this.setCustomField('plan', 'gold');
      this.setCustomField('orderId', 'A-1001');
      this.setGuestName('Hannah Host');
      this.setLanguage('de');
      this.setTheme({ color: '#0B57D0', title: 'Checkout help' });`;
    site.page('/checkout', hostPage(daemon.url, { title: 'Checkout', api }));
    alice = await agent(daemon.url, 'alice');
    await agent(daemon.url, 'bob');
    visitor = await launchVisitor();
  });

  afterAll(async () => {
    await visitor?.close();
    alice?.client.disconnect();
    await daemon?.stop();
    await site?.close();
    await data?.remove();
  });

  it('routes to the department set by the site and stores its custom fields', async () => {
    const page = await visitor.context.newPage();
    await page.goto(`${site.origin}/checkout`);
    const launcher = page.getByRole('button', { name: /Checkout help/ });
    await launcher.waitFor();
    expect(await launcher.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(11, 87, 208)');
    await launcher.click();
    await page.getByRole('button', { name: 'Chat schließen' }).waitFor(); // the app localised the launcher

    const app = page.frameLocator('iframe[title="Checkout help"]');
    await app.getByRole('heading', { name: 'Checkout help' }).waitFor();
    await app.getByRole('button', { name: 'Chat starten' }).waitFor();
    expect(await app.getByLabel('Name').inputValue()).toBe('Hannah Host');
    expect(await app.getByLabel('Abteilung').count()).toBe(0); // the site chose already
    await app.getByLabel('E-Mail').fill('hannah@example.com');
    await app.getByRole('button', { name: 'Chat starten' }).click();
    expect(await callbackFired(page, 'onPrechatFormSubmit')).toMatchObject({ department: 'sales' });

    await app.getByRole('textbox', { name: 'Nachricht' }).fill('Where is my order?');
    await app.getByRole('textbox', { name: 'Nachricht' }).press('Enter');
    const assigned = await alice.frames.next((f) => f.type === 'room.assigned');
    const room = assigned.room as { _id: string; departmentId?: string; servedBy?: { username: string }; livechatData: Record<string, string> };
    expect(room.departmentId).toBe('sales');
    expect(room.servedBy?.username).toBe('alice');
    expect(room.livechatData).toEqual({ orderId: 'A-1001' });
    await alice.frames.next((f) => f.type === 'message' && (f.message as { msg: string }).msg === 'Where is my order?');

    await daemon.stop();
    const store = await openStore('level', data.path);
    try {
      const visitors: { name?: string; livechatData: Record<string, string> }[] = [];
      for await (const [, value] of store.range<{ name?: string; livechatData: Record<string, string> }>('visitors')) visitors.push(value);
      expect(visitors).toEqual([expect.objectContaining({ name: 'Hannah Host', livechatData: { plan: 'gold' } })]);
      const pages: { page: { location: { href: string } } }[] = [];
      for await (const [, value] of store.range<{ page: { location: { href: string } } }>('pages')) pages.push(value);
      expect(pages.map((p) => p.page.location.href)).toEqual([`${site.origin}/checkout`]);
    } finally {
      await store.close();
    }
  });
});

/** Records the callbacks `hostPage` does not (widget shown/hidden) in `window.livechatEvents` too. */
const MORE_CALLBACKS = `
  ['onWidgetShown', 'onWidgetHidden'].forEach(function(name) {
    api[name](function(data) { window.livechatEvents.push({ name: name, data: data }); });
  });`;

/** The host page's `RocketChat(fn)`, called from the test after the loader has run. */
function rocketChat(page: Page, body: string): Promise<unknown> {
  return page.evaluate((code) => {
    const w = window as unknown as { RocketChat: ((fn: (this: unknown) => void) => void) & { livechat: unknown }; thisWasApi?: boolean };
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    const fn = new Function(code) as (this: unknown) => void;
    w.RocketChat(function (this: unknown) {
      w.thisWasApi = this === w.RocketChat.livechat;
      fn.call(this);
    });
    return w.thisWasApi;
  }, body);
}

const events = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { livechatEvents: { name: string }[] }).livechatEvents.map((e) => e.name));

/** The next request the widget makes to `path` (POST bodies as JSON). */
const nextPost = (page: Page, path: string): Promise<Request> =>
  page.waitForRequest((req) => req.method() === 'POST' && new URL(req.url()).pathname === path, { timeout: UI_TIMEOUT });

describeBrowser('widget: the rest of the host page API', () => {
  let site: HostSite;
  let daemon: TestDaemon;
  let data: { path: string; remove: () => Promise<void> };
  const visitors: Visitor[] = [];
  let alice: { client: AgentClient; frames: Recorder };
  let bob: { client: AgentClient; frames: Recorder };

  beforeAll(async () => {
    site = await serveHostSite();
    data = await tempDir();
    daemon = await startDaemon('widget/chat.yaml', { DATA_DIR: data.path, HOST_ORIGIN: site.origin });
    alice = await agent(daemon.url, 'alice');
    bob = await agent(daemon.url, 'bob');
  });

  afterAll(async () => {
    for (const v of visitors) await v.close();
    alice?.client.disconnect();
    bob?.client.disconnect();
    await daemon?.stop();
    await site?.close();
    await data?.remove();
  });

  async function open(path: string, api = '', server = daemon.url): Promise<Page> {
    site.page(path, hostPage(server, { title: `Page ${path}`, api: api + MORE_CALLBACKS }));
    const visitor = await launchVisitor();
    visitors.push(visitor);
    const page = await visitor.context.newPage();
    await page.goto(`${site.origin}${path}`);
    await page.locator('.rocketchat-widget button').waitFor(); // the launcher, painted from the config
    return page;
  }

  it('showWidget/hideWidget and maximizeWidget/minimizeWidget, also through RocketChat(fn) after the loader ran', async () => {
    const page = await open('/controls');
    const launcher = page.getByRole('button', { name: /Shop support/ });
    expect(await page.locator('iframe').count()).toBe(0);

    // After the loader ran, RocketChat(fn) runs fn at once, with this = the API.
    expect(await rocketChat(page, 'this.hideWidget();')).toBe(true);
    await launcher.waitFor({ state: 'hidden' });
    expect(await events(page)).toEqual(['onWidgetHidden']);
    await rocketChat(page, 'this.showWidget();');
    await launcher.waitFor();
    expect(await events(page)).toEqual(['onWidgetHidden', 'onWidgetShown']);

    await rocketChat(page, 'this.maximizeWidget();');
    const frame = page.locator('iframe[title="Shop support"]');
    await frame.waitFor(); // created and shown by the site, not the visitor
    await page.frameLocator('iframe[title="Shop support"]').getByLabel('Name').waitFor();
    await page.getByRole('button', { name: 'Close chat' }).waitFor();
    await rocketChat(page, 'this.minimizeWidget();');
    await frame.waitFor({ state: 'hidden' });
    await page.getByRole('button', { name: /Open chat: Shop support/ }).waitFor();
    expect(await events(page)).toEqual(['onWidgetHidden', 'onWidgetShown', 'onChatMaximized', 'onChatMinimized']);
  });

  it('setGuestToken resumes that visitor\'s conversation', async () => {
    const known = await apiVisitor(daemon.url, 'Tom Token', 'sales');
    await known.client.send(known.rid, 'I started this on my phone');
    const page = await open('/token', `this.setGuestToken(${JSON.stringify(known.client.token)});`);
    await page.getByRole('button', { name: /Shop support/ }).click();
    const app = page.frameLocator('iframe[title="Shop support"]');
    await app.getByText('I started this on my phone').waitFor();
    const composer = app.getByRole('textbox', { name: 'Message' });
    await composer.fill('and now I am on the laptop');
    await composer.press('Enter');
    const got = await alice.frames.next((f) => f.type === 'message' && (f.message as { msg: string }).msg === 'and now I am on the laptop');
    expect(got.rid).toBe(known.rid);
    known.client.disconnect();
  });

  it('registerGuest registers without the form, in the given department', async () => {
    const page = await open('/register', "this.registerGuest({ name: 'Rita Reg', email: 'rita@example.com', department: 'support' });");
    await page.getByRole('button', { name: /Shop support/ }).click();
    const app = page.frameLocator('iframe[title="Shop support"]');
    const composer = app.getByRole('textbox', { name: 'Message' });
    await composer.waitFor(); // registered already: no form
    expect(await app.getByRole('button', { name: 'Start chat' }).count()).toBe(0);
    await composer.fill('Registered by the site');
    await composer.press('Enter');
    const assigned = await bob.frames.next((f) => f.type === 'room.assigned' && (f.room as { fname?: string }).fname === 'Rita Reg');
    expect((assigned.room as { departmentId?: string }).departmentId).toBe('support');
  });

  it('setAgent asks for that agent when the room is opened', async () => {
    // A daemon of its own, where the preference decides: without it, round robin gives this chat to alice.
    const dir = await tempDir();
    const own = await startDaemon('widget/agents.yaml', { DATA_DIR: dir.path });
    const agents = [await agent(own.url, 'alice'), await agent(own.url, 'bob')];
    try {
      const page = await open('/agent', "this.setAgent({ _id: 'bob', username: 'bob' });", own.url); // agent ids are usernames
      await page.getByRole('button', { name: /Shop support/ }).click();
      const composer = page.frameLocator('iframe[title="Shop support"]').getByRole('textbox', { name: 'Message' });
      const roomRequest = page.waitForRequest((req) => new URL(req.url()).pathname === '/api/v1/livechat/room', { timeout: UI_TIMEOUT });
      await composer.fill('Bob please');
      await composer.press('Enter');
      expect(new URL((await roomRequest).url()).searchParams.get('agentId')).toBe('bob');
      const assigned = await Promise.race(agents.map((a) => a.frames.next((f) => f.type === 'room.assigned')));
      expect((assigned.room as { servedBy?: { username: string } }).servedBy?.username).toBe('bob');
    } finally {
      for (const a of agents) a.client.disconnect();
      await own.stop();
      await dir.remove();
    }
  });

  it('initialize fans out to the individual calls', async () => {
    const page = await open(
      '/initialize',
      "this.initialize({ theme: { title: 'Init help', color: '#0B57D0' }, department: 'sales', guestName: 'Ina Init', guestEmail: 'ina@example.com', language: 'de', customField: { key: 'plan', value: 'silver' } });",
    );
    const launcher = page.getByRole('button', { name: /Init help/ });
    expect(await launcher.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(11, 87, 208)');
    await launcher.click();
    const app = page.frameLocator('iframe[title="Init help"]');
    await app.getByRole('button', { name: 'Chat starten' }).waitFor(); // language
    expect(await app.getByLabel('Name').inputValue()).toBe('Ina Init');
    expect(await app.getByLabel('E-Mail').inputValue()).toBe('ina@example.com');
    expect(await app.getByLabel('Abteilung').count()).toBe(0); // department
    const field = nextPost(page, '/api/v1/livechat/custom.field');
    await app.getByRole('button', { name: 'Chat starten' }).click();
    expect((await field).postDataJSON()).toMatchObject({ key: 'plan', value: 'silver' });
  });

  it('clearDepartment asks again before registration, and updates a registered visitor', async () => {
    const page = await open('/clear', "this.setDepartment('sales'); this.clearDepartment();");
    await page.getByRole('button', { name: /Shop support/ }).click();
    const app = page.frameLocator('iframe[title="Shop support"]');
    await app.getByLabel('Department').waitFor(); // cleared: the form asks again
    await app.getByLabel('Name').fill('Cleo Clear');
    await app.getByLabel('E-mail').fill('cleo@example.com');
    await app.getByLabel('Department').selectOption({ label: 'Sales' });
    const registered = nextPost(page, '/api/v1/livechat/visitor');
    await app.getByRole('button', { name: 'Start chat' }).click();
    expect((await registered).postDataJSON()).toMatchObject({ visitor: { name: 'Cleo Clear', department: 'sales' } });
    await app.getByRole('textbox', { name: 'Message' }).waitFor();

    const moved = nextPost(page, '/api/v1/livechat/visitor');
    await rocketChat(page, "this.setDepartment('support');");
    expect((await moved).postDataJSON()).toMatchObject({ visitor: { department: 'support' } });
    const updated = nextPost(page, '/api/v1/livechat/visitor');
    await rocketChat(page, 'this.clearDepartment();');
    // Like setDepartment, and like Rocket.Chat's widget: the visitor is re-posted, with department "" (none).
    expect((await updated).postDataJSON()).toMatchObject({ visitor: { department: '' } });
    expect(await app.getByLabel('Department').count()).toBe(0); // a registered visitor is not asked again
  });

  it('reports page.visited when the host page changes its URL (pushState) or title', async () => {
    const page = await open('/visits', "this.registerGuest({ name: 'Paul Pages', email: 'paul@example.com' });");
    await page.getByRole('button', { name: /Shop support/ }).click();
    await page.frameLocator('iframe[title="Shop support"]').getByRole('textbox', { name: 'Message' }).waitFor();

    const byUrl = nextPost(page, '/api/v1/livechat/page.visited');
    await page.evaluate(() => history.pushState({}, '', '/visits/step-2'));
    expect((await byUrl).postDataJSON()).toMatchObject({ pageInfo: { change: 'url', location: { href: `${site.origin}/visits/step-2` }, title: 'Page /visits' } });

    const byTitle = nextPost(page, '/api/v1/livechat/page.visited');
    await page.evaluate(() => (document.title = 'Step 2 of 3'));
    expect((await byTitle).postDataJSON()).toMatchObject({ pageInfo: { change: 'title', location: { href: `${site.origin}/visits/step-2` }, title: 'Step 2 of 3' } });
  });
});
