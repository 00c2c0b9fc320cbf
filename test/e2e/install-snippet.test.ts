/**
 * `livechat install-snippet` in a real browser: the built CLI prints the embed code, the test pastes exactly that
 * into a host page on another origin, and a visitor chats with a real agent through it.
 *   - the standard snippet on a plain HTML page;
 *   - the `--magento` form on a page that loads RequireJS first and maps the `jquery` module (both from npm,
 *     served by the host site), the way a Magento 2 storefront does;
 *   - `--department` (in both forms) routes the chat to that department's agent, and the form stops asking.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page, Request } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { AgentClient, Frame } from '../../src/client/index.js';
import { describeBrowser, launchVisitor, serveHostSite, UI_TIMEOUT, type HostSite } from '../helpers/browser.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { agent, type Recorder } from '../helpers/realtime.js';
import { tempDir } from '../helpers/tmp.js';

const SHOTS = join(process.cwd(), 'test-results', 'snippet');
const START = '<!-- Start of Rocket.Chat Livechat Script -->';
const END = '<!-- End of Rocket.Chat Livechat Script -->';

type Agent = { client: AgentClient; frames: Recorder };
const NAMES = { alice: 'Alice Agent', bob: 'Bob Builder' } as const;

/** What `livechat install-snippet --url <server> ...args` prints for pasting (the Magento note after it is not). */
async function generate(server: string, args: string[]): Promise<string> {
  const result = await runCli('livechat', ['install-snippet', '--url', server, ...args]);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout.startsWith(START)).toBe(true);
  const end = result.stdout.indexOf(END) + END.length;
  expect(end).toBeGreaterThan(END.length);
  if (!args.includes('--magento')) expect(result.stdout.slice(end)).toBe('\n'); // nothing else to leave out
  return result.stdout.slice(0, end);
}

/** A plain shop page with the snippet pasted before </body>. */
function plainPage(title: string, snippet: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title></head>
<body style="font-family:sans-serif;margin:40px">
<h1>${title}</h1>
<p>A plain HTML page of a shop.</p>
${snippet}
</body></html>`;
}

/** A Magento 2-like page: require.js and its config in the head, the snippet before </html> (root.phtml). */
function magentoPage(title: string, snippet: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title>
<script type="text/javascript" src="/js/require.js"></script>
<script type="text/javascript">require.config({ baseUrl: '/js', paths: { jquery: '/js/jquery.min' } });</script>
</head>
<body style="font-family:sans-serif;margin:40px">
<h1>${title}</h1>
<p>A storefront whose scripts load through RequireJS.</p>
</body>
${snippet}
</html>`;
}

/** Rejects with `what` when `promise` has not settled within UI_TIMEOUT. */
function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), UI_TIMEOUT)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describeBrowser('install-snippet: the generated embed code in a browser', () => {
  let site: HostSite;
  let daemon: TestDaemon;
  let data: { path: string; remove: () => Promise<void> };
  let agents: Record<'alice' | 'bob', Agent>;

  beforeAll(async () => {
    site = await serveHostSite();
    site.file('/js/require.js', join(ROOT, 'node_modules', 'requirejs', 'require.js'));
    site.file('/js/jquery.min.js', join(ROOT, 'node_modules', 'jquery', 'dist', 'jquery.min.js'));
    data = await tempDir();
    daemon = await startDaemon('snippet/chat.yaml', { DATA_DIR: data.path, HOST_ORIGIN: site.origin });
    agents = { alice: await agent(daemon.url, 'alice'), bob: await agent(daemon.url, 'bob') };
    await mkdir(SHOTS, { recursive: true });
  });

  afterAll(async () => {
    for (const a of Object.values(agents ?? {})) a.client.disconnect();
    await daemon?.stop();
    await site?.close();
    await data?.remove();
  });

  /**
   * Opens `path` in a fresh browser, starts a chat from the launcher, and checks an agent receives it (the
   * department's agent when `department` is given) and the visitor sees the reply. Returns the page's errors.
   */
  async function chat(path: string, shot: string, opts: { message: string; requirejs?: boolean; department?: { id: string; agent: 'alice' | 'bob' } }) {
    const visitor = await launchVisitor();
    const errors: string[] = [];
    const pending = new Map<Request, number>();
    let page: Page | undefined;
    try {
      page = await visitor.context.newPage();
      page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
      page.on('console', (msg) => void (msg.type() === 'error' && errors.push(`console: ${msg.text()}`)));
      page.on('request', (req) => pending.set(req, Date.now())); // reported when something times out
      page.on('requestfinished', (req) => pending.delete(req));
      page.on('requestfailed', (req) => pending.delete(req));
      await page.goto(`${site.origin}${path}`);

      const launcher = page.getByRole('button', { name: /Shop support/ });
      await launcher.waitFor();
      if (opts.requirejs) {
        // The snippet ran inside require(['jquery'], ...): RequireJS loaded the module from the mapped path.
        expect(await page.evaluate(() => (window as unknown as { require: { defined(id: string): boolean } }).require.defined('jquery'))).toBe(true);
      }
      await page.screenshot({ path: join(SHOTS, `${shot}-launcher.png`) });
      await launcher.click();

      const app = page.frameLocator('iframe[title="Shop support"]');
      await app.getByLabel('Name').fill('Vera Visitor');
      await app.getByLabel('E-mail').fill('vera@example.com');
      await app.getByRole('button', { name: 'Start chat' }).waitFor();
      // The site's department choice (from the snippet) replaces the form's question.
      expect(await app.getByLabel('Department').count()).toBe(opts.department ? 0 : 1);
      await app.getByRole('button', { name: 'Start chat' }).click();

      const composer = app.getByRole('textbox', { name: 'Message' });
      await composer.fill(opts.message);
      await composer.press('Enter');

      const isMine = (f: Frame) => f.type === 'message' && (f.message as { msg: string }).msg === opts.message;
      const candidates = opts.department ? [opts.department.agent] : (['alice', 'bob'] as const);
      const [name, received] = await within(
        Promise.race(candidates.map((n) => agents[n].frames.next(isMine).then((f) => [n, f] as const))),
        `an agent to receive "${opts.message}"`,
      );
      const rid = received.rid as string;
      const assigned = await within(
        agents[name].frames.next((f) => f.type === 'room.assigned' && (f.room as { _id: string })._id === rid),
        `room ${rid} to be assigned`,
      );
      const room = assigned.room as { departmentId?: string; servedBy?: { username: string } };
      expect(room.servedBy?.username).toBe(name);
      if (opts.department) expect(room.departmentId).toBe(opts.department.id);
      for (const other of ['alice', 'bob'] as const) {
        if (other !== name) expect(agents[other].frames.frames.some(isMine)).toBe(false);
      }

      await agents[name].client.send(rid, `Hello Vera, ${name} here.`);
      await app.getByText(`Hello Vera, ${name} here.`).waitFor();
      await app.getByRole('heading', { name: NAMES[name] }).waitFor(); // the header shows the agent
      await page.screenshot({ path: join(SHOTS, `${shot}-chat.png`) });
      await agents[name].client.close(rid);
      return errors;
    } catch (err) {
      // What the visitor saw, and what the page reported, when it went wrong.
      await page?.screenshot({ path: join(SHOTS, `${shot}-failure.png`) }).catch(() => undefined);
      if (errors.length) (err as Error).message += `\npage errors:\n${errors.join('\n')}`;
      if (pending.size) (err as Error).message += `\nunfinished requests:\n${[...pending].map(([r, t]) => `${r.method()} ${r.url()} since ${Date.now() - t}ms`).join('\n')}`;
      throw err;
    } finally {
      await visitor.close();
    }
  }

  it('the standard snippet on a plain HTML page: launcher, chat, an agent receives it', async () => {
    const snippet = await generate(daemon.url, []);
    expect(snippet).not.toContain('require(');
    site.page('/plain', plainPage('Plain shop', snippet));
    const errors = await chat('/plain', 'plain', { message: 'Hello from the plain page' });
    expect(errors).toEqual([]);
  });

  it('the --magento snippet on a RequireJS page with a jquery module: launcher, chat, an agent receives it', async () => {
    const snippet = await generate(daemon.url, ['--magento']);
    expect(snippet).toContain("require(['jquery'], function ($) {");
    site.page('/magento', magentoPage('Magento shop', snippet));
    const errors = await chat('/magento', 'magento', { message: 'Hello from the Magento page', requirejs: true });
    expect(errors).toEqual([]);
  });

  it('--department routes the standard snippet\'s chats to that department\'s agent', async () => {
    const snippet = await generate(daemon.url, ['--department', 'sales']);
    site.page('/plain-sales', plainPage('Plain shop, sales', snippet));
    const errors = await chat('/plain-sales', 'plain-department', {
      message: 'A question for sales',
      department: { id: 'sales', agent: 'alice' },
    });
    expect(errors).toEqual([]);
  });

  it('--department routes the --magento snippet\'s chats to that department\'s agent', async () => {
    const snippet = await generate(daemon.url, ['--magento', '--department', 'support']);
    site.page('/magento-support', magentoPage('Magento shop, support', snippet));
    const errors = await chat('/magento-support', 'magento-department', {
      message: 'A question for support',
      requirejs: true,
      department: { id: 'support', agent: 'bob' },
    });
    expect(errors).toEqual([]);
  });
});
