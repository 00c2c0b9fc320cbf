/**
 * Text from anyone is text: markup as visitor name, custom field and message (the visitor's and the agent's) is
 * shown literally, links only for http(s), and nothing runs — neither in the widget nor on the host page.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AgentClient } from '../../src/client/index.js';
import { describeBrowser, hostPage, launchVisitor, serveHostSite, type HostSite, type Visitor } from '../helpers/browser.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent, type Recorder } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';

const PAYLOAD = `<img src=x onerror="window.pwned=(window.pwned||0)+1;alert('img')"><script>window.pwned=1</script>`;
const LINKS = `javascript:alert('js') and <a href="javascript:window.pwned=1">click</a> and https://shop.example/"onmouseover="window.pwned=1`;

describeBrowser('widget: untrusted text', () => {
  let site: HostSite;
  let daemon: TestDaemon;
  let data: { path: string; remove: () => Promise<void> };
  let visitor: Visitor;
  let alice: { client: AgentClient; frames: Recorder };

  beforeAll(async () => {
    site = await serveHostSite();
    data = await tempDir();
    daemon = await startDaemon('widget/chat.yaml', { DATA_DIR: data.path, HOST_ORIGIN: site.origin });
        // In a script element, "</script>" must not appear even inside a string: \u003c keeps the page itself intact.
    const literal = JSON.stringify(PAYLOAD).replace(/</g, '\\u003c');
    site.page('/', hostPage(daemon.url, { api: `this.setDepartment('sales'); this.setCustomField('plan', ${literal});` }));
    alice = await agent(daemon.url, 'alice');
    visitor = await launchVisitor();
  });

  afterAll(async () => {
    await visitor?.close();
    alice?.client.disconnect();
    await daemon?.stop();
    await site?.close();
    await data?.remove();
  });

  it('renders markup as text and runs none of it', async () => {
    const page = await visitor.context.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${site.origin}/`);
    await page.getByRole('button', { name: /Shop support/ }).click();
    const app = page.frameLocator('iframe');
    await app.getByLabel('Name').fill(PAYLOAD);
    await app.getByLabel('E-mail').fill('x@example.com');
    await app.getByLabel('Company').fill(PAYLOAD);
    await app.getByRole('button', { name: 'Start chat' }).click();

    const composer = app.getByRole('textbox', { name: 'Message' });
    await composer.fill(PAYLOAD);
    await composer.press('Enter');
    const received = await alice.frames.next((f) => f.type === 'message' && (f.message as { msg: string }).msg === PAYLOAD);
    const rid = received.rid as string;
    await alice.client.send(rid, LINKS);

    await app.getByText(`You: ${PAYLOAD}`, { exact: true }).waitFor();
    await app.getByText(/^Alice Agent: javascript:alert/).waitFor();
    // Only the https address became a link, and it stops at the quote.
    const links = app.getByRole('link');
    expect(await links.count()).toBe(1);
    expect(await links.first().getAttribute('href')).toBe('https://shop.example/');

    const widget = page.frames().find((f) => f.url().startsWith(daemon.url))!;
    expect(await widget.evaluate(() => document.querySelectorAll('img, script:not([src]), [onerror], [onmouseover], a[href^="javascript"]').length)).toBe(0);
    expect(await widget.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => document.querySelectorAll('img').length)).toBe(0);
  });
});
