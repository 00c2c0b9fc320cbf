/**
 * The host page's API (`RocketChat(function(){ this.… })`): setDepartment routes the chat to that department
 * (and the form stops asking), setCustomField values end up on the visitor (scope visitor) and on the room
 * (scope room), setGuestName prefills the form, setLanguage switches the widget's language, setTheme its colour
 * and title. The page the visitor is on is recorded once they register.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AgentClient } from '../../src/client/index.js';
import { openStore } from '../../src/daemon/store.js';
import { callbackFired, describeBrowser, hostPage, launchVisitor, serveHostSite, type HostSite, type Visitor } from '../helpers/browser.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent, type Recorder } from '../helpers/realtime.js';
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
