/** Shared by the config tests: fixture locations, the fixture environment, temporary config trees. */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
export const FIXTURES = 'test/fixtures/config';

/** A value no message may ever contain. */
export const FIXTURE_SECRET = 'hunter2-s3cret';
/** The only environment fixtures see: every other variable is unset, whatever the machine has. */
export const FIXTURE_ENV: Record<string, string> = { LIVECHAT_TEST_SECRET: FIXTURE_SECRET, LIVECHAT_TEST_EMPTY: '' };

/** scrypt hash of "fixture" with ln=10, cheap enough for tests. */
export const HASH = '$scrypt$ln=10,r=8,p=1$1CO+ANvb07EedVPM+Lujew$0eIanXCG7wIrdTi/n+oFOxDtvEG46QuQ56gY/azkAnw';

const created: string[] = [];
afterEach(() => {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes `files` (relative path → text) under a new temporary directory, removed after the test; returns it. */
export function tempTree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'livechatd-config-'));
  created.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** Writes one YAML file to a new temporary directory; returns its path. */
export function configFile(yaml: string): string {
  return join(tempTree({ 'livechat.yaml': yaml }), 'livechat.yaml');
}
