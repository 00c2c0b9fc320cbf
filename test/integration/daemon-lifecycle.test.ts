import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildDaemon, startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/tmp.js';

describe('daemon lifecycle', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  const running: TestDaemon[] = [];

  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((d) => d.stop()));
    await dir.remove();
  });

  async function start(): Promise<TestDaemon> {
    const d = await startDaemon('daemon/minimal.yaml', { DATA_DIR: dir.path });
    running.push(d);
    return d;
  }

  it('answers /healthz and /readyz on an ephemeral loopback port', async () => {
    const d = await start();
    expect(d.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const health = await fetch(`${d.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${d.url}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; store: string; config: { hash: string; generation: number } };
    expect(body).toMatchObject({ status: 'ready', store: 'open', config: { generation: 1 } });
    expect(body.config.hash).toBe(d.daemon.config.current().hash);
  });

  it('exposes Prometheus metrics with the config state', async () => {
    const d = await start();
    const res = await fetch(`${d.url}/metrics`);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^livechat_config_last_reload_successful 1$/m);
    expect(text).toMatch(/^livechat_config_last_reload_success_timestamp_seconds \d+(\.\d+)?(e\+\d+)?$/m);
    const hash = d.daemon.config.current().hash.slice(0, 12);
    expect(text).toContain(`livechat_config_info{hash="${hash}"} 1`);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
  });

  it('answers unknown paths with a JSON 404', async () => {
    const d = await start();
    const res = await fetch(`${d.url}/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ success: false, error: 'No route for GET /nope [not-found]', errorType: 'not-found' });
  });

  it('stops cleanly, refusing new connections, and restarts on the same data dir', async () => {
    const first = await startDaemon('daemon/minimal.yaml', { DATA_DIR: dir.path });
    const url = first.url;
    await first.stop();
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    const second = await start();
    expect((await fetch(`${second.url}/readyz`)).status).toBe(200);
  });

  it('refuses a second daemon on the same data dir with a clear error', async () => {
    await start();
    const second = await buildDaemon('daemon/minimal.yaml', { DATA_DIR: dir.path });
    await expect(second.daemon.start()).rejects.toMatchObject({
      code: 'store-locked',
      message: `data directory ${dir.path} is in use by another livechatd process`,
    });
  });

  it('reload with unchanged files is a no-op', async () => {
    const d = await start();
    await expect(d.daemon.reload()).resolves.toMatchObject({ outcome: 'unchanged', generation: 1 });
  });
});
