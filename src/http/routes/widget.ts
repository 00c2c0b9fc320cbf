/**
 * The widget's files, built by widget/build.mjs into dist/widget/:
 * - the loader at `/livechat/rocketchat-livechat.min.js` and at the classic snippet's
 *   `/packages/rocketchat_livechat/assets/rocket-livechat.js`;
 * - the app at `/livechat` and `/livechat/`, its hashed assets under `/livechat/*` (and `/livechat/livechat/*`,
 *   where relative paths resolved from `/livechat/` land);
 * - `/avatar/:username`, an SVG with initials; `/sounds/chime.mp3` once the build ships one (404 until then).
 *
 * The app may be framed by the sites in `server.allowedOrigins` (any site when the list is empty): it answers with
 * CSP `frame-ancestors` and never with X-Frame-Options. Its CSP also allows scripts, styles and connections only
 * from this server, so even text that slipped into markup could not load or run anything.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import Router from '@koa/router';
import type Koa from 'koa';
import type { HttpDeps } from '../deps.js';
import type { RequestState } from '../state.js';

const DEFAULT_DIR = fileURLToPath(new URL('../../../dist/widget/', import.meta.url));
const LOADER = 'rocketchat-livechat.min.js';
const ASSET = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;
const HASHED = /-[A-Z0-9]{8}\.[a-z]+$/;
const TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.mp3': 'audio/mpeg',
  '.svg': 'image/svg+xml; charset=utf-8',
};

interface Cached {
  mtimeMs: number;
  body: Buffer;
  gzip: Buffer;
}

export function widgetRoutes(_deps: HttpDeps, options: { dir?: string } = {}): Router<RequestState> {
  const dir = options.dir ?? DEFAULT_DIR;
  const cache = new Map<string, Cached>();
  const router = new Router<RequestState>();

  /** The file's bytes (and gzip), re-read when the build replaced it; undefined when there is no such file. */
  async function load(name: string): Promise<Cached | undefined> {
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) return undefined;
    const hit = cache.get(name);
    if (hit && hit.mtimeMs === info.mtimeMs) return hit;
    const body = await readFile(path);
    const entry = { mtimeMs: info.mtimeMs, body, gzip: gzipSync(body, { level: 9 }) };
    cache.set(name, entry);
    return entry;
  }

  function send(ctx: Koa.Context, name: string, file: Cached | Buffer, cacheControl: string): void {
    const body = Buffer.isBuffer(file) ? file : file.body;
    const gzip = Buffer.isBuffer(file) ? undefined : file.gzip;
    ctx.set('Content-Type', TYPES[extname(name)] ?? 'application/octet-stream');
    ctx.set('Cache-Control', cacheControl);
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.vary('Accept-Encoding');
    if (gzip && ctx.acceptsEncodings('gzip', 'identity') === 'gzip') {
      ctx.set('Content-Encoding', 'gzip');
      ctx.body = gzip;
    } else ctx.body = body;
  }

  async function loader(ctx: Koa.Context): Promise<void> {
    const file = await load(LOADER);
    if (file) send(ctx, LOADER, file, 'public, max-age=300');
  }

  async function app(ctx: Koa.ParameterizedContext<RequestState>): Promise<void> {
    const file = await load('index.html');
    if (!file) return;
    // From /livechat the app's relative URLs need the livechat/ segment; from /livechat/ they do not.
    const html = file.body.toString('utf8').replaceAll('%BASE%', ctx.path.endsWith('/') ? '' : 'livechat/');
    ctx.remove('X-Frame-Options');
    ctx.set('Content-Security-Policy', appPolicy(ctx.state.config.server.allowedOrigins, ctx.host));
    send(ctx, 'index.html', Buffer.from(html), 'no-cache');
  }

  async function asset(ctx: Koa.Context): Promise<void> {
    const name = String(ctx.params.file);
    if (!ASSET.test(name) || name === 'index.html') return;
    const file = await load(name);
    if (file) send(ctx, name, file, HASHED.test(name) ? 'public, max-age=31536000, immutable' : 'public, max-age=300');
  }

  router.get('/livechat', app);
  router.get('/livechat/', app);
  router.get(`/livechat/${LOADER}`, loader);
  router.get('/packages/rocketchat_livechat/assets/rocket-livechat.js', loader);
  router.get('/livechat/:file', asset);
  router.get('/livechat/livechat/:file', asset);
  router.get('/sounds/chime.mp3', async (ctx) => {
    const file = await load('chime.mp3');
    if (file) send(ctx, 'chime.mp3', file, 'public, max-age=86400');
  });
  router.get('/avatar/:username', (ctx) => {
    const username = String(ctx.params.username).slice(0, 128);
    const name = ctx.state.config.users[username]?.name ?? username;
    ctx.set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'");
    send(ctx, 'avatar.svg', Buffer.from(avatarSvg(name)), 'public, max-age=3600');
  });
  return router;
}

/** CSP of the app document: only this server's scripts, styles and sockets; framed only by the allowed sites. */
export function appPolicy(allowedOrigins: readonly string[], host: string): string {
  const ancestors = allowedOrigins.length === 0 ? '*' : ["'self'", ...allowedOrigins].join(' ');
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self' ws://${host} wss://${host}`,
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${ancestors}`,
  ].join('; ');
}

/** A round badge with the initials of `name`, its colour derived from the name. Text is XML-escaped. */
export function avatarSvg(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = (word: string | undefined): string => (word ? [...word][0]! : '');
  const letters = (first(words[0]) + (words.length > 1 ? first(words[words.length - 1]) : '')).toUpperCase() || '?';
  let hue = 0;
  for (const ch of name) hue = (hue * 31 + ch.charCodeAt(0)) % 360;
  return (
    '<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64">' +
    `<rect width="64" height="64" rx="32" fill="hsl(${hue},45%,38%)"/>` +
    '<text x="32" y="32" dy=".35em" text-anchor="middle" fill="#fff" font-family="system-ui,sans-serif" font-size="26" font-weight="600">' +
    `${escapeXml(letters)}</text></svg>`
  );
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
