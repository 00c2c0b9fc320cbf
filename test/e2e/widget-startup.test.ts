/**
 * The app's first screen does not depend on timing. On a busy machine, the app's config can arrive before
 * Preact has run its effects (they wait for an animation frame, or a 100 ms timer); a component that subscribed
 * to the session in such an effect missed the change and kept showing "loading" with nothing pending and no error
 * (test/e2e/install-snippet.test.ts timed out that way at `getByLabel('Name').fill` under CPU load).
 *
 * The slow machine is made deterministic here: in the app's frame, timers and animation frames are held back
 * until the app has loaded its config and chosen its screen (it tells the loader `active`, right before), and
 * only then let go.
 */
import { afterAll, beforeAll, it } from 'vitest';
import { describeBrowser, hostPage, launchVisitor, serveHostSite, UI_TIMEOUT, type HostSite, type Visitor } from '../helpers/browser.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';

/** Runs in every frame; in the app's (the daemon's origin) it holds timers and animation frames until released. */
function holdTimers(appOrigin: string): void {
  if (location.origin !== appOrigin) return;
  const w = window as unknown as Record<string, unknown> & { release(): void };
  const held = new Map<number, () => void>();
  let released = false;
  let next = 1_000_000;
  for (const [schedule, cancel] of [
    ['setTimeout', 'clearTimeout'],
    ['requestAnimationFrame', 'cancelAnimationFrame'],
  ] as const) {
    const realSchedule = (window[schedule] as (...a: unknown[]) => number).bind(window);
    const realCancel = (window[cancel] as (id: number) => void).bind(window);
    const ids = new Map<number, number>(); // held id → real id once let go
    w[schedule] = (...args: unknown[]) => {
      if (released) return realSchedule(...args);
      const id = next++;
      held.set(id, () => ids.set(id, realSchedule(...args)));
      return id;
    };
    w[cancel] = (id: number) => {
      if (held.delete(id)) return;
      realCancel(ids.get(id) ?? id);
    };
  }
  w.release = () => {
    released = true;
    for (const go of [...held.values()]) go();
    held.clear();
  };
}

describeBrowser('widget: the first screen does not depend on timing', () => {
  let site: HostSite;
  let daemon: TestDaemon;
  let data: { path: string; remove: () => Promise<void> };
  let visitor: Visitor;

  beforeAll(async () => {
    site = await serveHostSite();
    data = await tempDir();
    daemon = await startDaemon('widget/chat.yaml', { DATA_DIR: data.path, HOST_ORIGIN: site.origin });
    site.page('/', hostPage(daemon.url, { title: 'Shop' }));
    await agent(daemon.url, 'alice');
    visitor = await launchVisitor();
  });

  afterAll(async () => {
    await visitor?.close();
    await daemon?.stop();
    await site?.close();
    await data?.remove();
  });

  it('shows the registration form when the config arrives before Preact ran its effects', async () => {
    await visitor.context.addInitScript(holdTimers, daemon.url);
    const page = await visitor.context.newPage();
    await page.goto(`${site.origin}/`);
    const launcher = page.getByRole('button', { name: /Shop support/ });
    await launcher.waitFor();
    await page.evaluate((appOrigin) => {
      const w = window as unknown as { appLoaded: boolean };
      w.appLoaded = false;
      addEventListener('message', (e: MessageEvent) => {
        if (e.origin === appOrigin && (e.data as { fn?: string } | null)?.fn === 'active') w.appLoaded = true;
      });
    }, daemon.url);
    await launcher.click();

    // The app loaded its config and picked its screen, with every timer and animation frame still held back.
    await page.waitForFunction(() => (window as unknown as { appLoaded: boolean }).appLoaded, undefined, { timeout: UI_TIMEOUT });
    const appFrame = page.frames().find((f) => f.url().startsWith(`${daemon.url}/livechat`))!;
    await appFrame.evaluate(() => (window as unknown as { release(): void }).release());

    const app = page.frameLocator('iframe[title="Shop support"]');
    await app.getByLabel('Name').fill('Vera Visitor');
    await app.getByRole('button', { name: 'Start chat' }).waitFor();
  });
});
