/**
 * The widget while nobody is online: the launcher says so before the app loads, the host page hears
 * onServiceOffline, and the offline form's message is stored (read back from the LevelDB store after stop).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openStore } from '../../src/daemon/store.js';
import { callbackFired, describeBrowser, hostPage, launchVisitor, screenshot, serveHostSite, type HostSite, type Visitor } from '../helpers/browser.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/tmp.js';

describeBrowser('widget: nobody online', () => {
  let site: HostSite;
  let daemon: TestDaemon;
  let data: { path: string; remove: () => Promise<void> };
  let visitor: Visitor;

  beforeAll(async () => {
    site = await serveHostSite();
    data = await tempDir();
    daemon = await startDaemon('widget/offline.yaml', { DATA_DIR: data.path });
    site.page('/', hostPage(daemon.url, { title: 'Night shift' }));
    visitor = await launchVisitor();
  });

  afterAll(async () => {
    await visitor?.close();
    await daemon?.stop();
    await site?.close();
    await data?.remove();
  });

  it('shows the offline form and stores what the visitor leaves', async () => {
    const page = await visitor.context.newPage();
    await page.goto(`${site.origin}/`);
    const launcher = page.getByRole('button', { name: /Leave us a message/ });
    await launcher.waitFor();
    await callbackFired(page, 'onServiceOffline');
    expect(await launcher.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(69, 90, 100)'); // offlineColor

    await launcher.click();
    const app = page.frameLocator('iframe[title="Leave us a message"]');
    await app.getByText('We are away right now. Write to us and we answer by e-mail.').waitFor();
    // Only departments shown on the offline form are offered.
    const departments = await app.getByLabel('Department').locator('option').allTextContents();
    expect(departments).toEqual(['Choose a department', 'Sales']);

    await app.getByRole('button', { name: 'Send message' }).click();
    await app.getByText('Please fill in this field.').first().waitFor();
    await app.getByLabel('Name').fill('Olga Offline');
    await app.getByLabel('E-mail').fill('olga@example.com');
    await app.getByLabel('Department').selectOption({ label: 'Sales' });
    await app.getByRole('textbox', { name: 'Message' }).fill('Do you ship to Iceland?\nThanks!');
    await screenshot(page, 'offline');
    await app.getByRole('button', { name: 'Send message' }).click();
    await app.getByText('Got it - we will write back soon.').waitFor();
    expect(await callbackFired(page, 'onOfflineFormSubmit')).toMatchObject({ name: 'Olga Offline', email: 'olga@example.com', department: 'sales' });

    await daemon.stop();
    const store = await openStore('level', data.path);
    try {
      const stored: Record<string, unknown>[] = [];
      for await (const [, value] of store.range<Record<string, unknown>>('offline')) stored.push(value);
      expect(stored).toEqual([
        expect.objectContaining({ name: 'Olga Offline', email: 'olga@example.com', department: 'sales', message: 'Do you ship to Iceland?\nThanks!' }),
      ]);
    } finally {
      await store.close();
    }
  });
});
