/**
 * CORS (visitor API only, from server.allowedOrigins) and the request facts a registration records: client IP
 * (X-Forwarded-For only when server.trustProxy), user agent and the calling site.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { newVisitorToken } from '../helpers/chat.js';
import { tempDir } from '../helpers/tmp.js';

const running: { d: TestDaemon; remove: () => Promise<void> }[] = [];
afterEach(async () => {
  for (const { d, remove } of running.splice(0)) {
    await d.stop();
    await remove();
  }
});

async function daemon(fixture: 'open' | 'restricted'): Promise<string> {
  const dir = await tempDir('livechatd-http-');
  const d = await startDaemon(`http/${fixture}.yaml`, { DATA_DIR: dir.path });
  running.push({ d, remove: dir.remove });
  return d.url;
}

function preflight(url: string, path: string, origin: string, headers = 'content-type') {
  return fetch(url + path, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': headers } });
}

describe('CORS with an empty allowedOrigins list: any site', () => {
  it('preflight allows Content-Type and x-visitor-token for the reflected origin', async () => {
    const url = await daemon('open');
    const res = await preflight(url, '/api/v1/livechat/visitor', 'https://anywhere.example', 'content-type,x-visitor-token');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://anywhere.example');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase().split(',')).toEqual(['content-type', 'x-visitor-token']);
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('vary')).toMatch(/Origin/i);
  });

  it('answers, errors included, carry the header (the SDK must read error bodies)', async () => {
    const url = await daemon('open');
    const origin = { origin: 'https://anywhere.example' };
    const ok = await fetch(`${url}/api/v1/livechat/config`, { headers: origin });
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://anywhere.example');
    const failed = await fetch(`${url}/api/v1/livechat/visitor/${newVisitorToken()}`, { headers: origin });
    expect(failed.status).toBe(400);
    expect(failed.headers.get('access-control-allow-origin')).toBe('https://anywhere.example');
    const doubled = await fetch(`${url}//api/v1/livechat/config`, { headers: origin });
    expect(doubled.headers.get('access-control-allow-origin')).toBe('https://anywhere.example');
  });

  it('never for the agent API, the admin API or health', async () => {
    const url = await daemon('open');
    for (const path of ['/api/v1/agent/login', '/api/v1/agent/me', '/api/v1/admin/config', '/healthz']) {
      const pre = await preflight(url, path, 'https://anywhere.example');
      expect(pre.headers.get('access-control-allow-origin'), path).toBeNull();
      expect(pre.headers.get('content-type'), path).toMatch(/^application\/json/);
    }
    const login = await fetch(`${url}/api/v1/agent/login`, {
      method: 'POST',
      headers: { origin: 'https://anywhere.example', 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'correct horse' }),
    });
    expect(login.status).toBe(200);
    expect(login.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('CORS with an allow-list', () => {
  it('only listed origins get the header; others are refused by the browser', async () => {
    const url = await daemon('restricted');
    const allowed = await preflight(url, '/api/v1/livechat/message', 'https://shop.example.com');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    const other = await preflight(url, '/api/v1/livechat/message', 'https://evil.example');
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('content-type')).toMatch(/^application\/json/);
    const get = await fetch(`${url}/api/v1/livechat/config`, { headers: { origin: 'https://evil.example' } });
    expect(get.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('what a registration records about the request', () => {
  async function register(url: string, headers: Record<string, string>) {
    const res = await fetch(`${url}/api/v1/livechat/visitor`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify({ visitor: { token: newVisitorToken(), name: 'Ivy' } }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { visitor: Record<string, unknown> }).visitor;
  }

  it('without trustProxy, X-Forwarded-For is ignored', async () => {
    const url = await daemon('open');
    const visitor = await register(url, { 'x-forwarded-for': '203.0.113.7', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0', origin: 'https://shop.example.com' });
    expect(visitor).toMatchObject({ ip: expect.stringMatching(/127\.0\.0\.1$/), userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0', host: 'https://shop.example.com' });
    expect(visitor).not.toHaveProperty('roomFields');
  });

  it('with trustProxy, the client address comes from X-Forwarded-For', async () => {
    const url = await daemon('restricted');
    const visitor = await register(url, { 'x-forwarded-for': '203.0.113.7' });
    expect(visitor.ip).toBe('203.0.113.7');
    // No Origin (a server-side SDK): the Host the call was addressed to stands for the site.
    expect(visitor.host).toBe(new URL(url).host);
  });
});
