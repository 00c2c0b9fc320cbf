/**
 * The widget's files over HTTP (no browser needed): the app page and its framing policy, the loader at both
 * snippet paths, hashed assets, compression, avatars with escaped initials, and nothing outside dist/widget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/tmp.js';

const SITE = 'http://shop.example';

describe('widget files', () => {
  let restricted: TestDaemon;
  let open: TestDaemon;
  const dirs: { remove: () => Promise<void> }[] = [];

  beforeAll(async () => {
    const a = await tempDir();
    const b = await tempDir();
    dirs.push(a, b);
    restricted = await startDaemon('widget/chat.yaml', { DATA_DIR: a.path, HOST_ORIGIN: SITE });
    open = await startDaemon('widget/offline.yaml', { DATA_DIR: b.path });
  });

  afterAll(async () => {
    await restricted?.stop();
    await open?.stop();
    for (const d of dirs) await d.remove();
  });

  it('serves the app framable by the allowed sites only, never with X-Frame-Options', async () => {
    const res = await fetch(`${restricted.url}/livechat`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('x-frame-options')).toBeNull();
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toContain(`frame-ancestors 'self' ${SITE}`);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');

    const anySite = await fetch(`${open.url}/livechat/`);
    expect(anySite.headers.get('content-security-policy')).toContain('frame-ancestors *');
  });

  it('links the hashed assets so that they resolve from /livechat and from /livechat/', async () => {
    const fromBare = await (await fetch(`${restricted.url}/livechat`)).text();
    const fromSlash = await (await fetch(`${restricted.url}/livechat/`)).text();
    const js = /src="livechat\/(app-[A-Z0-9]+\.js)"/.exec(fromBare)?.[1];
    expect(js).toBeDefined();
    expect(fromSlash).toContain(`src="${js}"`);
    for (const path of [`/livechat/${js}`, `/livechat/livechat/${js}`]) {
      const res = await fetch(`${restricted.url}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    }
    const css = /href="livechat\/(app-[A-Z0-9]+\.css)"/.exec(fromBare)?.[1];
    expect((await fetch(`${restricted.url}/livechat/${css}`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('serves the loader at both snippet paths, compressed when the client accepts gzip', async () => {
    const a = await fetch(`${restricted.url}/livechat/rocketchat-livechat.min.js?_=201903270000`);
    const b = await fetch(`${restricted.url}/packages/rocketchat_livechat/assets/rocket-livechat.js`);
    expect(a.status).toBe(200);
    expect(a.headers.get('content-type')).toBe('application/javascript; charset=utf-8');
    expect(a.headers.get('content-encoding')).toBe('gzip'); // fetch asks for gzip and unpacks it
    const text = await a.text();
    expect(text).toContain('rocketchat');
    expect(await b.text()).toBe(text);
  });

  it('draws avatars with escaped initials', async () => {
    const agentAvatar = await fetch(`${restricted.url}/avatar/bob`);
    expect(agentAvatar.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(await agentAvatar.text()).toContain('>BB</text>');
    const hostile = await (await fetch(`${restricted.url}/avatar/${encodeURIComponent('<script>x')}`)).text();
    expect(hostile).toContain('>&#60;</text>');
    expect(hostile).not.toContain('<script');
  });

  it('answers JSON 404s for files it does not have', async () => {
    for (const path of ['/sounds/chime.mp3', '/livechat/..%2F..%2Fpackage.json', '/livechat/nope.js', '/livechat/.hidden']) {
      const res = await fetch(`${restricted.url}${path}`);
      expect(res.status, path).toBe(404);
      expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
    }
  });
});
