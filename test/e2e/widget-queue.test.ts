/**
 * The chat's life as the visitor sees it with manual routing: the queue position while waiting, the agent who
 * takes the chat, a transfer as a system line, then the visitor ends the chat and starts a new one.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AgentClient } from '../../src/client/index.js';
import { callbackFired, describeBrowser, hostPage, launchVisitor, screenshot, serveHostSite, type HostSite, type Visitor } from '../helpers/browser.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent, type Recorder } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';

describeBrowser('widget: queue, transfer and the visitor ending the chat', () => {
  let site: HostSite;
  let daemon: TestDaemon;
  let data: { path: string; remove: () => Promise<void> };
  let visitor: Visitor;
  let alice: { client: AgentClient; frames: Recorder };

  beforeAll(async () => {
    site = await serveHostSite();
    data = await tempDir();
    daemon = await startDaemon('widget/manual.yaml', { DATA_DIR: data.path });
    site.page('/', hostPage(daemon.url));
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

  it('shows the queue position, the agent, a transfer, and ends when the visitor says so', async () => {
    const page = await visitor.context.newPage();
    await page.goto(`${site.origin}/`);
    await page.getByRole('button', { name: /Help desk/ }).click();
    const app = page.frameLocator('iframe');
    const composer = app.getByRole('textbox', { name: 'Message' });
    await composer.fill('Is anybody there?');
    await composer.press('Enter');

    await app.getByText('You are number 1 in the queue.').waitFor();
    await screenshot(page, 'queue');
    const queued = await alice.frames.next((f) => f.type === 'room.queued');
    const rid = (queued.room as { _id: string })._id;

    await alice.client.take(rid);
    await app.getByRole('heading', { name: 'Alice Agent' }).waitFor();
    await app.getByText('You are number 1 in the queue.').waitFor({ state: 'hidden' });
    expect(await callbackFired(page, 'onAssignAgent')).toMatchObject({ username: 'alice', name: 'Alice Agent' });

    await alice.client.transfer(rid, { agent: 'bob' });
    await app.getByText('The chat was transferred to Bob Builder.').waitFor();
    await app.getByRole('heading', { name: 'Bob Builder' }).waitFor();

    await app.getByRole('button', { name: 'End chat' }).click();
    await app.getByText('End this chat?').waitFor();
    await app.getByRole('button', { name: 'End chat' }).click();
    await app.getByRole('heading', { name: 'Chat finished' }).waitFor();
    await callbackFired(page, 'onChatEnded');
    const closed = await alice.frames.next((f) => f.type === 'room.closed' && f.rid === rid);
    expect((closed.room as { closer?: string }).closer).toBe('visitor');

    await app.getByRole('button', { name: 'Start a new chat' }).click();
    await composer.waitFor();
    expect(await app.getByText('Is anybody there?').count()).toBe(0);
  });
});
