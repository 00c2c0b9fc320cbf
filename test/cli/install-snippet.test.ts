import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

describe('livechat install-snippet', () => {
  it('takes the URL from server.publicUrl of --config', async () => {
    const result = await runCli('livechat', ['install-snippet', '--config', 'config/livechat.yaml', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({
      loaderUrl: 'http://127.0.0.1:3000/livechat/rocketchat-livechat.min.js',
      iframeUrl: 'http://127.0.0.1:3000/livechat',
      snippet: expect.stringContaining("RocketChat.url = u;"),
    });
  });

  it('prints the Magento form with where it goes', async () => {
    const result = await runCli('livechat', ['install-snippet', '--url', 'https://chat.example.com', '--magento']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("require(['jquery'], function ($) {");
    expect(result.stdout).toContain('<script type="text/javascript" defer async>');
    expect(result.stdout).toMatch(/root\.phtml[\s\S]*before <\/html>[\s\S]*OpCode cache/);
  });

  it('says which flag to pass when it does not know the server', async () => {
    const result = await runCli('livechat', ['install-snippet']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('livechat: which server? pass --url https://chat.example.com, or --config PATH with server.publicUrl set\n');
  });

  it('checks --department against the configuration', async () => {
    const result = await runCli('livechat', ['install-snippet', '--config', 'config/livechat.yaml', '--department', 'billing']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('livechat: unknown department "billing"; config/livechat.yaml has: sales, support\n');
  });

  it('checks --department against --config even when --url is given', async () => {
    const result = await runCli('livechat', ['install-snippet', '--url', 'https://chat.example.com', '--config', 'config/livechat.yaml', '--department', 'billing']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('livechat: unknown department "billing"; config/livechat.yaml has: sales, support\n');
  });

  it('takes --url over server.publicUrl and accepts a department the configuration has', async () => {
    const result = await runCli('livechat', ['install-snippet', '--url', 'https://chat.example.com', '--config', 'config/livechat.yaml', '--department', 'sales', '--json']);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as Record<string, string>;
    expect(out.iframeUrl).toBe('https://chat.example.com/livechat');
    expect(out.snippet).toContain("this.setDepartment('sales');");
    expect(out).not.toHaveProperty('note');
  });

  it('includes the Magento placement note as a field with --json', async () => {
    const result = await runCli('livechat', ['install-snippet', '--url', 'https://chat.example.com', '--magento', '--json']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ snippet: expect.stringContaining("require(['jquery']"), note: expect.stringMatching(/root\.phtml[\s\S]*before <\/html>[\s\S]*OpCode cache/) });
  });
});
