/**
 * The widget rides out a daemon restart: it says it is reconnecting, comes back with backoff, and resumes from
 * the last seq it had — messages written meanwhile arrive, nothing arrives twice.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeBrowser, hostPage, launchVisitor, serveHostSite, type HostSite, type Visitor } from '../helpers/browser.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';

describeBrowser('widget: reconnecting', () => {
  let site: HostSite;
  let data: { path: string; remove: () => Promise<void> };
  let visitor: Visitor;
  const daemons: TestDaemon[] = [];
  const agents: { disconnect(): void }[] = [];

  beforeAll(async () => {
    site = await serveHostSite();
    data = await tempDir();
    visitor = await launchVisitor();
  });

  afterAll(async () => {
    await visitor?.close();
    for (const a of agents) a.disconnect();
    for (const d of daemons) await d.stop();
    await site?.close();
    await data?.remove();
  });

  it('resumes the conversation after the daemon restarts', async () => {
    const first = await startDaemon('widget/restart.yaml', { DATA_DIR: data.path, PORT: '0' });
    daemons.push(first);
    site.page('/', hostPage(first.url));
    const alice = await agent(first.url, 'alice');
    agents.push(alice.client);

    const page = await visitor.context.newPage();
    await page.goto(`${site.origin}/`);
    await page.getByRole('button', { name: /Shop support/ }).click();
    const app = page.frameLocator('iframe');
    const composer = app.getByRole('textbox', { name: 'Message' });
    await composer.fill('Before the restart');
    await composer.press('Enter');
    const received = await alice.frames.next((f) => f.type === 'message' && (f.message as { msg: string }).msg === 'Before the restart');
    const rid = received.rid as string;
    await alice.client.send(rid, 'First reply');
    await app.getByText('First reply').waitFor();

    alice.client.disconnect();
    await first.stop();
    await app.getByText('Connection lost. Reconnecting…').waitFor();

    const second = await startDaemon('widget/restart.yaml', { DATA_DIR: data.path, PORT: String(new URL(first.url).port) });
    daemons.push(second);
    const again = await agent(second.url, 'alice');
    agents.push(again.client);
    await again.client.send(rid, 'Written while you were away');
    await app.getByText('Written while you were away').waitFor();
    await app.getByText('Connection lost. Reconnecting…').waitFor({ state: 'hidden' });
    expect(await app.getByText('First reply').count()).toBe(1);

    await composer.fill('Still here');
    await composer.press('Enter');
    await again.frames.next((f) => f.type === 'message' && (f.message as { msg: string }).msg === 'Still here');
  });
});
