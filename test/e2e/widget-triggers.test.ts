/**
 * Triggers run in the loader on the host page: a `page-url` trigger matches the host page's URL (not the
 * widget's) and fires only there; a `time-on-site` trigger fires after its delay, and with runOnce only once.
 * Either one creates the widget's iframe only when it fires, and opens the widget with the trigger's message.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, hostPage, launchVisitor, screenshot, serveHostSite, type HostSite, type Visitor } from '../helpers/browser.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';

/** Runs the page's pending timers that are due now (a macrotask turn), so "nothing happened" is a fact, not a guess. */
const settle = (page: Page): Promise<void> => page.evaluate(() => new Promise<void>((resolve) => setTimeout(resolve, 0)));

describeBrowser('widget: triggers', () => {
  let site: HostSite;
  let daemon: TestDaemon;
  let data: { path: string; remove: () => Promise<void> };
  const visitors: Visitor[] = [];

  beforeAll(async () => {
    site = await serveHostSite();
    data = await tempDir();
    daemon = await startDaemon('widget/triggers.yaml', { DATA_DIR: data.path });
    for (const path of ['/about', '/products/shoes', '/products/shoes/care', '/wait', '/returns', '/contact']) site.page(path, hostPage(daemon.url, { title: `Page ${path}` }));
    await agent(daemon.url, 'alice');
  });

  afterAll(async () => {
    for (const v of visitors) await v.close();
    await daemon?.stop();
    await site?.close();
    await data?.remove();
  });

  async function newPage(): Promise<Page> {
    const visitor = await launchVisitor();
    visitors.push(visitor);
    return visitor.context.newPage();
  }

  it('fires a page-url trigger on the matching host page only', async () => {
    const page = await newPage();
    for (const path of ['/about', '/products/shoes/care']) {
      await page.goto(`${site.origin}${path}`);
      await page.getByRole('button', { name: /Shop support/ }).waitFor();
      await settle(page);
      expect(await page.locator('iframe').count()).toBe(0);
    }

    await page.goto(`${site.origin}/products/shoes`);
    const app = page.frameLocator('iframe[title="Shop support"]');
    await app.getByText('Need help finding the right size?').waitFor();
    await app.getByText('Sam from Sales', { exact: true }).waitFor();
    await screenshot(page, 'trigger');

    // The visitor can answer right away (the registration form is off in this fixture).
    await app.getByRole('textbox', { name: 'Message' }).waitFor();
  });

  it('fires a page-url trigger after an in-page navigation (history.pushState) to the matching URL', async () => {
    const page = await newPage();
    await page.goto(`${site.origin}/about`);
    await page.getByRole('button', { name: /Shop support/ }).waitFor();
    await page.evaluate(() => history.pushState({}, '', '/products/shoes'));
    await page.frameLocator('iframe').getByText('Need help finding the right size?').waitFor();
  });

  it('fires a time-on-site trigger after its delay, and a runOnce trigger only once', async () => {
    const page = await newPage();
    await page.goto(`${site.origin}/wait`);
    await page.getByRole('button', { name: /Shop support/ }).waitFor();
    await settle(page);
    expect(await page.locator('iframe').count()).toBe(0);

    await page.frameLocator('iframe').getByText('Still looking? We are happy to help.').waitFor();
    const onSite = await page.evaluate(() => Date.now() - performance.timeOrigin);
    expect(onSite).toBeGreaterThanOrEqual(2000);

    await page.reload();
    await page.getByRole('button', { name: /Shop support/ }).waitFor();
    await settle(page);
    expect(await page.locator('iframe').count()).toBe(0);
  });

  it('fires a chat-opened-by-visitor trigger when the visitor opens the chat, named after the queue\'s next agent', async () => {
    const page = await newPage();
    await page.goto(`${site.origin}/returns`);
    const launcher = page.getByRole('button', { name: /Shop support/ });
    await launcher.waitFor();
    await settle(page);
    expect(await page.locator('iframe').count()).toBe(0); // the page alone does not fire it

    await launcher.click();
    const app = page.frameLocator('iframe[title="Shop support"]');
    const message = app.getByRole('listitem').filter({ hasText: 'Returns are free within 30 days.' });
    await message.waitFor();
    await message.getByText('Alice Agent', { exact: true }).waitFor(); // sender: queue → the agent agent.next names
  });

  it('fires an after-guest-registration trigger when the visitor is registered without a form (first message)', async () => {
    const page = await newPage();
    await page.goto(`${site.origin}/contact`);
    await page.getByRole('button', { name: /Shop support/ }).click();
    const app = page.frameLocator('iframe[title="Shop support"]');
    const box = app.getByRole('textbox', { name: 'Message' });
    await box.waitFor();
    await settle(page);
    expect(await app.getByText('Thanks, we have your details.').count()).toBe(0); // not registered yet

    const registered = page.waitForResponse((res) => res.url().endsWith('/api/v1/livechat/visitor') && res.request().method() === 'POST');
    await box.fill('Do you ship to Norway?');
    await box.press('Enter');
    expect((await registered).status()).toBe(200);
    await app.getByText('Thanks, we have your details.').waitFor();
    await app.getByText('Reception', { exact: true }).waitFor();
  });
});
