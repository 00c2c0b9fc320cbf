/**
 * JSON answers of 1 KB and more are gzipped for clients that accept it (the widget's config request is part of the
 * weight of every page view); small ones and clients that do not ask get identity.
 */
import { get } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/tmp.js';

let d: TestDaemon;
let remove: () => Promise<void>;
beforeAll(async () => {
  const dir = await tempDir('livechatd-gzip-');
  remove = dir.remove;
  d = await startDaemon('http/open.yaml', { DATA_DIR: dir.path });
});
afterAll(async () => {
  await d.stop();
  await remove();
});

/** A raw GET (fetch would decode the body and hide the encoding). */
function raw(path: string, acceptEncoding?: string): Promise<{ encoding: string | undefined; vary: string | undefined; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(`${d.url}${path}`, { headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ encoding: res.headers['content-encoding'], vary: res.headers.vary, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

it('gzips the widget config for a browser, and the JSON is the same', async () => {
  const plain = await raw('/api/v1/livechat/config');
  expect(plain.encoding).toBeUndefined();
  expect(plain.body.length).toBeGreaterThanOrEqual(1024);
  const zipped = await raw('/api/v1/livechat/config', 'gzip, deflate, br, zstd');
  expect(zipped.encoding).toBe('gzip');
  expect(zipped.vary).toMatch(/accept-encoding/i);
  expect(zipped.body.length).toBeLessThan(plain.body.length / 1.5);
  expect(JSON.parse(gunzipSync(zipped.body).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
});

it('leaves small answers alone', async () => {
  const small = await raw('/healthz', 'gzip');
  expect(small.encoding).toBeUndefined();
  expect(JSON.parse(small.body.toString('utf8'))).toBeTypeOf('object');
});
