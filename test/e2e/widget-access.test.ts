/**
 * Reaching the widget in less usual ways: with the keyboard on a phone-sized screen in the browser's language
 * (German), and in a browser that blocks the widget's storage (it works for the page's lifetime and says so).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AgentClient } from '../../src/client/index.js';
import { describeBrowser, hostPage, launchVisitor, screenshot, serveHostSite, type HostSite, type Visitor } from '../helpers/browser.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent, type Recorder } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';

describeBrowser('widget: keyboard, small screens, languages, blocked storage', () => {
  let site: HostSite;
  let daemon: TestDaemon;
  let data: { path: string; remove: () => Promise<void> };
  let alice: { client: AgentClient; frames: Recorder };
  const visitors: Visitor[] = [];

  beforeAll(async () => {
    site = await serveHostSite();
    data = await tempDir();
    daemon = await startDaemon('widget/chat.yaml', { DATA_DIR: data.path, HOST_ORIGIN: site.origin });
    site.page('/', hostPage(daemon.url));
    alice = await agent(daemon.url, 'alice');
  });

  afterAll(async () => {
    for (const v of visitors) await v.close();
    alice?.client.disconnect();
    await daemon?.stop();
    await site?.close();
    await data?.remove();
  });

  it('works with the keyboard, full screen on a phone, in the browser language', async () => {
    const visitor = await launchVisitor({ viewport: { width: 390, height: 780 }, locale: 'de-DE' });
    visitors.push(visitor);
    const page = await visitor.context.newPage();
    await page.goto(`${site.origin}/`);
    const launcher = page.getByRole('button', { name: /Shop support/ });
    await launcher.waitFor();
    expect(await launcher.getAttribute('aria-expanded')).toBe('false');

    await launcher.focus();
    await page.keyboard.press('Enter');
    const app = page.frameLocator('iframe');
    const name = app.getByLabel('Name');
    await name.waitFor();
    await page.waitForFunction(() => document.activeElement?.tagName === 'DIV'); // focus went into the widget
    const widget = page.frames().find((f) => f.url().startsWith(daemon.url))!;
    await widget.waitForFunction(() => document.activeElement?.id === 'f-name');
    await page.keyboard.type('Kim Keyboard');
    await page.keyboard.press('Tab');
    await page.keyboard.type('kim@example.com');
    expect(await app.getByLabel('E-Mail').inputValue()).toBe('kim@example.com');
    await app.getByRole('button', { name: 'Chat starten' }).waitFor();

    const box = await page.locator('iframe').boundingBox();
    expect(box).toEqual({ x: 0, y: 0, width: 390, height: 780 });
    await screenshot(page, 'mobile-registration');

    await page.keyboard.press('Escape');
    await page.locator('iframe').waitFor({ state: 'hidden' });
    expect(await launcher.evaluate((el) => (el.getRootNode() as ShadowRoot).activeElement === el)).toBe(true);
    expect(await launcher.getAttribute('aria-label')).toMatch(/^Chat öffnen: Shop support/);
  });

  it('still chats when the browser blocks its storage, and says so', async () => {
    const visitor = await launchVisitor();
    visitors.push(visitor);
    // What a browser blocking third-party storage does: any access to localStorage throws in the widget's frame.
    await visitor.context.addInitScript((server) => {
      if (location.origin !== server) return;
      Object.defineProperty(window, 'localStorage', {
        get() {
          throw new DOMException('The operation is insecure.', 'SecurityError');
        },
      });
    }, new URL(daemon.url).origin);
    const page = await visitor.context.newPage();
    await page.goto(`${site.origin}/`);
    await page.getByRole('button', { name: /Shop support/ }).click();
    const app = page.frameLocator('iframe');
    await app.getByText('Your browser blocks storage for this chat, so the conversation ends when you leave this page.').waitFor();
    await app.getByLabel('Name').fill('Sofia Storage');
    await app.getByLabel('E-mail').fill('sofia@example.com');
    await app.getByLabel('Department').selectOption({ label: 'Sales' });
    await app.getByRole('button', { name: 'Start chat' }).click();
    await app.getByRole('textbox', { name: 'Message' }).fill('Can you hear me?');
    await app.getByRole('textbox', { name: 'Message' }).press('Enter');
    const received = await alice.frames.next((f) => f.type === 'message' && (f.message as { msg: string }).msg === 'Can you hear me?');
    await alice.client.send(received.rid as string, 'Loud and clear.');
    await app.getByText('Loud and clear.').waitFor();
  });
});
