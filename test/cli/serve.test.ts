import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { collect, runCli, spawnCli, waitForLog } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const CONFIG = 'test/fixtures/daemon/minimal.yaml';

describe('livechatd serve', () => {
  let dir: Awaited<ReturnType<typeof tempDir>>;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(async () => {
    await dir.remove();
  });

  it('serves until SIGTERM, then closes the store and exits 0', async () => {
    const child = spawnCli('livechatd', ['serve', '--config', CONFIG], { DATA_DIR: dir.path });
    const done = collect(child);
    const { url } = (await waitForLog(child, 'livechatd listening')) as { url: string };
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('"msg":"livechatd stopped"');
    expect(result.stderr).toBe('');
  });

  it('a second daemon on the same data dir fails with one clear line', async () => {
    const first = spawnCli('livechatd', ['serve', '--config', CONFIG], { DATA_DIR: dir.path });
    const firstDone = collect(first);
    await waitForLog(first, 'livechatd listening');
    const second = await runCli('livechatd', ['serve', '--config', CONFIG], { env: { DATA_DIR: dir.path } });
    expect(second.code).toBe(1);
    expect(second.stderr).toBe(`livechatd: data directory ${dir.path} is in use by another livechatd process\n`);
    first.kill('SIGINT');
    expect((await firstDone).code).toBe(0);
  });

  it('refuses to start on invalid config, printing the errors like validate', async () => {
    const result = await runCli('livechatd', ['serve', '--config', CONFIG], { env: {} });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^test\/fixtures\/daemon\/minimal\.yaml:4:\d+ {2}server\.dataDir: .*DATA_DIR/m);
    expect(result.stderr).toMatch(/^livechatd: refusing to start: 1 configuration error\(s\) in test\/fixtures\/daemon\/minimal\.yaml$/m);
  });

  it('reloads on SIGHUP without stopping', async () => {
    const child = spawnCli('livechatd', ['serve', '--config', CONFIG, '--log-level', 'debug'], { DATA_DIR: dir.path });
    const done = collect(child);
    const { url } = (await waitForLog(child, 'livechatd listening')) as { url: string };
    child.kill('SIGHUP');
    await waitForLog(child, 'configuration unchanged');
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    child.kill('SIGTERM');
    expect((await done).code).toBe(0);
  });
});

describe('livechatd hash-password', () => {
  it('hashes a password read from stdin', async () => {
    const result = await runCli('livechatd', ['hash-password'], { input: 'correct horse\n' });
    expect(result.code).toBe(0);
    const hash = result.stdout.trim();
    expect(hash).toMatch(/^\$scrypt\$ln=15,r=8,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(result.stdout).not.toContain('correct horse');
    const { verifyPassword } = await import('../../src/domain/password.js');
    expect(await verifyPassword('correct horse', hash)).toBe(true);
    expect(await verifyPassword('correct horse ', hash)).toBe(false);
  });

  it('refuses an empty password', async () => {
    const result = await runCli('livechatd', ['hash-password'], { input: '\n' });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('livechatd: empty password; type one, or pipe it on stdin\n');
    expect(result.stdout).toBe('');
  });
});
