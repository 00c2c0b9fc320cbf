/**
 * The widget end to end: a host page on another origin embeds it with the standard snippet; a visitor registers,
 * picks a department and chats with a real agent (the product's agent client over a real socket); the chat
 * survives a reload of the host page; the agent closes it and the visitor sees the finished screen.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { callbackFired, describeBrowser, hostPage, launchVisitor, screenshot, serveHostSite, type HostSite, type Visitor } from '../helpers/browser.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent, type Recorder } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';
import type { AgentClient } from '../../src/client/index.js';

describeBrowser('widget: a chat from a host page on another origin', () => {
  let site: HostSite;
  let daemon: TestDaemon;
  let data: { path: string; remove: () => Promise<void> };
  let visitor: Visitor;
  let bob: { client: AgentClient; frames: Recorder };

  beforeAll(async () => {
    site = await serveHostSite();
    data = await tempDir();
    daemon = await startDaemon('widget/chat.yaml', { DATA_DIR: data.path, HOST_ORIGIN: site.origin });
    site.page('/', hostPage(daemon.url, { title: 'Shoes & more' }));
    bob = await agent(daemon.url, 'bob');
    await agent(daemon.url, 'alice');
    visitor = await launchVisitor();
  });

  afterAll(async () => {
    await visitor?.close();
    bob?.client.disconnect();
    await daemon?.stop();
    await site?.close();
    await data?.remove();
  });

  it('registers, chats with typing both ways, resumes after a reload, and ends on the finished screen', async () => {
    const page = await visitor.context.newPage();
    await page.goto(`${site.origin}/`);

    const launcher = page.getByRole('button', { name: /Shop support/ });
    await launcher.waitFor();
    // A page view costs the loader and the config request only: no iframe yet.
    expect(await page.locator('iframe').count()).toBe(0);
    await screenshot(page, 'launcher');

    await launcher.click();
    const app = page.frameLocator('iframe[title="Shop support"]');
    await app.getByLabel('Name').fill('Vera Visitor');
    await app.getByLabel('E-mail').fill('vera@example.com');
    await app.getByLabel('Department').selectOption({ label: 'Support' });
    await app.getByLabel('Company').fill('Shoes & more');
    await app.getByLabel('Phone').fill('call me maybe');
    await app.getByRole('button', { name: 'Start chat' }).click();
    await app.getByText('This value is not valid.').waitFor();
    await app.getByLabel('Phone').fill('+49 30 1234567');
    await screenshot(page, 'registration');
    await app.getByRole('button', { name: 'Start chat' }).click();
    expect(await callbackFired(page, 'onPrechatFormSubmit')).toEqual({ name: 'Vera Visitor', email: 'vera@example.com', department: 'support' });

    const composer = app.getByRole('textbox', { name: 'Message' });
    await composer.fill('Hello, my shoes do not fit');
    await composer.press('Enter');

    const first = await bob.frames.next((f) => f.type === 'message' && (f.message as { msg: string }).msg === 'Hello, my shoes do not fit');
    const rid = first.rid as string;
    await callbackFired(page, 'onChatStarted');
    await app.getByText('Bob Builder', { exact: true }).waitFor(); // the header shows the agent

    // typing, agent → visitor
    bob.client.typing(rid, true);
    await app.getByText('Bob Builder is typing…').waitFor();
    await bob.client.send(rid, 'Hi Vera! Which size do you need? See https://shop.example/sizes');
    await app.getByText('Which size do you need?').waitFor();
    await app.getByText('Bob Builder is typing…').waitFor({ state: 'hidden' });
    expect(await app.getByRole('link', { name: 'https://shop.example/sizes' }).getAttribute('href')).toBe('https://shop.example/sizes');

    // typing, visitor → agent
    const since = bob.frames.frames.length;
    await composer.pressSequentially('Size 4');
    await bob.frames.next((f) => f.type === 'typing' && f.rid === rid && f.typing === true, since);
    await composer.press('Enter');
    await bob.frames.next((f) => f.type === 'message' && (f.message as { msg: string }).msg === 'Size 4');
    await screenshot(page, 'chat');

    // A new page load resumes the same conversation, panel open.
    await page.reload();
    await app.getByText('Hello, my shoes do not fit').waitFor();
    await app.getByText('Which size do you need?').waitFor();
    await app.getByText('You: Size 4', { exact: true }).waitFor(); // with the screen-reader prefix
    await bob.client.send(rid, 'Size 4 is on its way.');
    await app.getByText('Size 4 is on its way.').waitFor();

    // Minimized, the launcher counts what the agent writes.
    await app.getByRole('button', { name: 'Minimize chat' }).click();
    await bob.client.send(rid, 'Anything else?');
    const badged = page.getByRole('button', { name: 'Open chat: Shop support, 1 unread' });
    await badged.waitFor();
    await screenshot(page, 'unread');
    await badged.click();
    await app.getByText('Anything else?').waitFor();
    await page.getByRole('button', { name: 'Close chat' }).waitFor();

    await bob.client.close(rid);
    await app.getByRole('heading', { name: 'Thanks for chatting!' }).waitFor();
    await app.getByText('Come back any time.').waitFor();
    await callbackFired(page, 'onChatEnded');
    await screenshot(page, 'finished');

    await app.getByRole('button', { name: 'Start a new chat' }).click();
    await app.getByRole('textbox', { name: 'Message' }).waitFor();
  });
});
