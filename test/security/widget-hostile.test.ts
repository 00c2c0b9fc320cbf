/**
 * Abuse, browser side — what test/e2e does not cover yet. Covered there, not repeated: markup in visitor names,
 * messages and custom-field values, from the visitor and from the agent (test/e2e/widget-xss.test.ts); the CSP
 * header of the widget page — frame-ancestors, script-src 'self', no unsafe-inline (test/e2e/widget-assets.test.ts);
 * a WebSocket upgrade from a non-allowed Origin refused with 403 (test/integration/realtime-limits.test.ts).
 *
 * Here, in Chromium: operator text with markup (department names, a custom field's label, a trigger's sender and
 * message) renders as text; a page on a non-allowed origin can neither frame the widget (CSP frame-ancestors)
 * nor open its WebSockets from the browser; and a hostile frame on an allowed host page can neither drive the
 * widget (setGuestEmail, setCustomField) nor fake its callbacks to the host page (postMessage source and origin
 * checks on both sides). Fixture: security/widget-hostile.yaml.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AgentClient } from '../../src/client/index.js';
import { describeBrowser, hostPage, launchVisitor, serveHostSite, UI_TIMEOUT, type HostSite, type Visitor } from '../helpers/browser.js';
import { agent, type Recorder } from '../helpers/realtime.js';
import { securityDaemon, type SecurityDaemon } from './helpers.js';

const SCRIPTED = 'img, script:not([src]), [onerror], [onmouseover], b';

describeBrowser('widget against hostile text and hostile pages', () => {
  let site: HostSite;
  let attacker: HostSite;
  let d: SecurityDaemon;
  const visitors: Visitor[] = [];
  /** A page in a browser context of its own (its own storage: no chat of an earlier test in progress). */
  const fresh = async () => {
    const v = await launchVisitor();
    visitors.push(v);
    return v.context.newPage();
  };
  let alice: { client: AgentClient; frames: Recorder };

  beforeAll(async () => {
    site = await serveHostSite();
    attacker = await serveHostSite();
    d = await securityDaemon('widget-hostile', { HOST_ORIGIN: site.origin });
    alice = await agent(d.url, 'alice');
    site.page('/xss', hostPage(d.url));
    site.page('/', `${hostPage(d.url)}<iframe id="stranger" src="${attacker.origin}/stranger" title="stranger"></iframe>`);
    // The attacker's frame on the host page: it finds the widget's frame and posts to it and to the host page.
    attacker.page('/stranger', '<!doctype html><title>stranger</title><p>an ad</p>');
    // The attacker's own page: frames the widget (claiming the allowed origin) and opens its WebSocket.
    attacker.page(
      '/frame',
      `<!doctype html><title>attacker</title><iframe id="w" onload="window.frameLoaded=true" src="${d.url}/livechat#parentOrigin=${encodeURIComponent(site.origin)}"></iframe>`,
    );
  });

  afterAll(async () => {
    for (const v of visitors) await v.close();
    alice?.client.disconnect();
    await d?.cleanup();
    await site?.close();
    await attacker?.close();
  });

  it('department names, a custom-field label and a trigger message with markup render as text; nothing runs', { timeout: 60_000 }, async () => {
    const page = await fresh();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${site.origin}/xss`);
    // The trigger opens the app with its message above the registration form.
    const app = page.frameLocator('iframe');
    const bubble = app.locator('.bubble', { hasText: 'Hello' });
    await bubble.waitFor({ timeout: UI_TIMEOUT });
    expect(await bubble.textContent()).toBe('<img src=x onerror="window.pwned=1">Sam: <script>window.pwned=1</script><img src=x onerror="window.pwned=1">Hello');
    expect(await app.locator('.who').first().textContent()).toBe('<img src=x onerror="window.pwned=1">Sam');
    const departments = await app.getByLabel('Department').locator('option').allTextContents();
    expect(departments).toContain('<img src=x onerror="window.pwned=1">Evil<script>window.pwned=1</script>');
    await app.getByLabel('<b onmouseover="window.pwned=1">Company</b>').fill('ACME');
    await app.getByLabel('Name').fill('Vera');
    await app.getByLabel('E-mail').fill('vera@example.com');
    await app.getByLabel('Department').selectOption('evil');
    await app.getByRole('button', { name: 'Start chat' }).click();
    const composer = app.getByRole('textbox', { name: 'Message' });
    await composer.fill('hello');
    await composer.press('Enter');
    // Served by the department with the hostile name: its agent gets the chat, and the widget still ran nothing.
    const assigned = await alice.frames.next((f) => f.type === 'room.assigned');
    expect(assigned.room).toMatchObject({ departmentId: 'evil', livechatData: {} });

    const widget = page.frames().find((f) => f.url().startsWith(d.url))!;
    expect(await widget.evaluate((sel) => document.querySelectorAll(sel).length, SCRIPTED)).toBe(0);
    expect(await widget.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await page.close();
  });

  it('a page on a non-allowed origin cannot frame the widget, nor open its WebSockets', { timeout: 60_000 }, async () => {
    const page = await fresh();
    await page.goto(`${attacker.origin}/frame`);
    await page.waitForFunction(() => (window as unknown as { frameLoaded?: boolean }).frameLoaded === true, undefined, { timeout: UI_TIMEOUT });
    // CSP frame-ancestors: Chromium shows its error page instead of the app, so no frame runs the widget.
    for (const frame of page.frames().filter((f) => f !== page.mainFrame())) {
      const text = await frame.evaluate(() => document.body?.innerText ?? '').catch(() => '');
      expect(text).not.toMatch(/Shop support|Start chat/);
      expect(frame.url().startsWith(d.url) && (await frame.locator('form, textarea, button').count()) > 0).toBe(false);
    }
    const ws = d.url.replace(/^http/, 'ws');
    const outcome = await page.evaluate(
      (url) =>
        new Promise<string>((resolve) => {
          const socket = new WebSocket(`${url}/ws/visitor`);
          socket.onopen = () => resolve('open');
          socket.onclose = (e) => resolve(`closed ${e.code}`);
        }),
      ws,
    );
    expect(outcome).toBe('closed 1006');
    await page.close();
  });

  it('a hostile frame on the host page can neither drive the widget nor fake its callbacks', { timeout: 60_000 }, async () => {
    const page = await fresh();
    await page.goto(`${site.origin}/`);
    await page.getByRole('button', { name: /Shop support/ }).click();
    // By address, not by title: the barrier below changes the title.
    const app = page.frameLocator(`iframe[src^="${d.url}"]`);
    await app.getByLabel('E-mail').waitFor({ timeout: UI_TIMEOUT });

    const stranger = page.frames().find((f) => f.url().startsWith(`${attacker.origin}/stranger`))!;
    expect(stranger).toBeDefined();
    // Into every frame of the host page (the widget's among them), and to the host page itself.
    await stranger.evaluate(() => {
      const forge = (fn: string, args: unknown[]) => ({ src: 'rocketchat', fn, args });
      for (let i = 0; i < parent.frames.length; i++) {
        parent.frames[i]!.postMessage(forge('setLanguage', ['de']), '*');
        parent.frames[i]!.postMessage(forge('setOpen', [false]), '*');
        parent.frames[i]!.postMessage(forge('setGuestEmail', ['hacked@evil.example']), '*');
        parent.frames[i]!.postMessage(forge('setCustomField', ['company', 'HACKED', true]), '*');
      }
      parent.postMessage(forge('ready', []), '*');
      // Callback names as the app sends them, and Rocket.Chat's event names, in case a loader accepted those.
      for (const name of ['ChatStarted', 'chat-started']) parent.postMessage(forge('callback', [name, { hacked: true }]), '*');
      for (const name of ['ServiceOffline', 'no-agent-online']) parent.postMessage(forge('callback', [name]), '*');
    });
    // Legitimate calls after the forged ones; once their effect shows, the forged ones (queued before) were handled.
    await page.evaluate(() => new Promise((resolve) => {
      addEventListener('message', (e) => e.data === 'barrier' && resolve(true));
      postMessage('barrier', '*');
    }));
    await page.evaluate(() => (window as unknown as { RocketChat: (f: (this: { setTheme(t: object): void }) => void) => void }).RocketChat(function () {
      this.setTheme({ title: 'Legit title' });
    }));
    const widget = page.frames().find((f) => f.url().startsWith(d.url))!;
    await widget.waitForFunction(() => document.querySelector('#title')?.textContent === 'Legit title', undefined, { timeout: UI_TIMEOUT });
    // None of the forged calls took effect: still English, still open, no e-mail or field filled in.
    expect(await app.getByLabel('E-mail').inputValue()).toBe('');
    expect(await app.getByRole('button', { name: 'Start chat' }).count()).toBe(1);
    expect(await page.locator(`iframe[src^="${d.url}"]`).isVisible()).toBe(true);
    const events = await page.evaluate(() => (window as unknown as { livechatEvents: { name: string }[] }).livechatEvents.map((e) => e.name));
    expect(events).not.toContain('onChatStarted');
    expect(events).not.toContain('onServiceOffline');
    await page.close();
  });
});
