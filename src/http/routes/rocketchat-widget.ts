/**
 * The official Rocket.Chat Livechat widget, served unmodified in place of ours when `appearance.widget` is
 * `rocketchat` (the build of the installed npm package @rocket.chat/livechat) or the absolute path of an unpacked
 * build. With `livechatd` (the default) every route here passes the request on to our own widget's routes, so
 * this router must be mounted before them. Spec §3.1:
 * - `/livechat` and `/livechat/` serve the build's index.html with `<script> SERVER_URL = '…'; </script>` right
 *   after `<body>`: the widget reads its server from that global (else from `?serverUrl=`);
 * - its files under `/livechat/*`, and under `/livechat/livechat/*` too: the build's URLs are relative
 *   (`livechat/bundle….js`), which from `/livechat/` resolve one level deeper;
 * - the build's own loader at the classic snippet's `/packages/rocketchat_livechat/assets/rocket-livechat.js`.
 * Framing follows `server.allowedOrigins` (CSP frame-ancestors), never X-Frame-Options. The build's realtime
 * half is DDP on /websocket (src/realtime/ddp).
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import Router from '@koa/router';
import type Koa from 'koa';
import { AppError } from '../../domain/errors.js';
import type { HttpDeps } from '../deps.js';
import { errorBody } from '../errors.js';
import type { RequestState } from '../state.js';

type Context = Koa.ParameterizedContext<RequestState>;

/**
 * A file name of the build, possibly one folder deep; no dot-segments, no backslashes, no hidden files. `~` is in
 * webpack's chunk names (`vendors~bundle.chunk.8a189.js`).
 */
const ASSET = /^(?:[A-Za-z0-9_-][A-Za-z0-9._~-]{0,127}\/)?[A-Za-z0-9_-][A-Za-z0-9._~-]{0,127}$/;
/** webpack's content-hashed names (`bundle.31a95.js`, `4.chunk.d09f0.js`, `e9ae….png`): cacheable for good. */
const HASHED = /(?:\.[0-9a-f]{5}\.js|[0-9a-f]{32}\.\w+)(?:\.map)?$/;
const TYPES: Record<string, string> = {
  '.js': 'application/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.mp3': 'audio/mpeg',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
};

export function rocketchatWidgetRoutes(deps: HttpDeps): Router<RequestState> {
  const router = new Router<RequestState>();
  const warned = new Set<string>();

  /** The build folder to serve from; undefined (after answering) when our own widget or no build applies. */
  async function buildOf(ctx: Context, next: Koa.Next): Promise<string | undefined> {
    const choice = ctx.state.config.appearance.widget;
    if (choice === 'livechatd') {
      await next();
      return undefined;
    }
    const root = await findBuild(choice);
    if (root) return root;
    if (!warned.has(choice)) {
      warned.add(choice);
      deps.logger.error({ widget: choice }, 'appearance.widget: no Rocket.Chat Livechat build (index.html) there; install @rocket.chat/livechat or fix the path');
    }
    ctx.status = 503;
    ctx.body = errorBody('widget-unavailable', 'The configured widget build is not installed');
    return undefined;
  }

  async function index(ctx: Context, next: Koa.Next): Promise<void> {
    const root = await buildOf(ctx, next);
    if (!root) return;
    const html = await readFile(join(root, 'index.html'), 'utf8');
    const { publicUrl, allowedOrigins } = ctx.state.config.server;
    // Without a trailing slash: the SDK appends `/api/v1/…` and `/websocket` as they are. (Koa 3's ctx.origin is
    // the Origin header, not this server.)
    const serverUrl = (publicUrl ?? `${ctx.protocol}://${ctx.host}`).replace(/\/+$/, '');
    const script = `<script> SERVER_URL = ${JSON.stringify(serverUrl).replace(/</g, '\\u003c')}; </script>`;
    const body = /<body[^>]*>/i.test(html) ? html.replace(/<body[^>]*>/i, (tag) => tag + script) : script + html;
    ctx.remove('X-Frame-Options');
    ctx.set('Content-Security-Policy', `frame-ancestors ${allowedOrigins.length === 0 ? '*' : ["'self'", ...allowedOrigins].join(' ')}`);
    ctx.set('Cache-Control', 'no-cache');
    ctx.type = TYPES['.html']!;
    ctx.body = body;
  }

  function asset(prefix: string, fixedName?: string) {
    return async (ctx: Context, next: Koa.Next): Promise<void> => {
      const name = fixedName ?? ctx.path.slice(prefix.length);
      const root = await buildOf(ctx, next);
      if (!root) return;
      if (!ASSET.test(name)) throw new AppError('not-found', 'No such file in the widget build');
      const path = join(root, name);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) throw new AppError('not-found', 'No such file in the widget build');
      ctx.set('Cache-Control', HASHED.test(name) ? 'public, max-age=31536000, immutable' : 'no-cache');
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.type = TYPES[extname(name)] ?? 'application/octet-stream';
      ctx.length = info.size;
      ctx.body = createReadStream(path);
    };
  }

  router.get('/livechat', index);
  router.get('/livechat/', index);
  router.get('/packages/rocketchat_livechat/assets/rocket-livechat.js', asset('', 'rocketchat-livechat.min.js'));
  router.get('/livechat/livechat/{*file}', asset('/livechat/livechat/'));
  router.get('/livechat/{*file}', asset('/livechat/'));
  return router;
}

const requireFromHere = createRequire(import.meta.url);

/** `rocketchat`: the installed package's build/; a path: that folder, or its build/ (the package folder itself). */
async function findBuild(choice: string): Promise<string | undefined> {
  const candidates = choice === 'rocketchat' ? [packagedBuild()] : [choice, join(choice, 'build')];
  for (const dir of candidates) {
    if (dir && (await stat(join(dir, 'index.html')).catch(() => undefined))?.isFile()) return dir;
  }
  return undefined;
}

function packagedBuild(): string | undefined {
  try {
    return join(dirname(requireFromHere.resolve('@rocket.chat/livechat/package.json')), 'build');
  } catch {
    return undefined; // a devDependency: absent from production installs unless the operator added it
  }
}
