/**
 * The agent API's sessions: login, who am I, status, logout, bearer tokens (hashed at rest), login rate limits.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentClient, chatDaemons, loginAs, request } from '../helpers/chat.js';

const daemons = chatDaemons();
afterEach(() => daemons.cleanup());

const INVALID = { success: false, error: 'Invalid username or password [unauthorized]', errorType: 'unauthorized' };

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(path)));
    else out.push(path);
  }
  return out;
}

describe('agent login', () => {
  it('answers a token and the profile; the agent is available', async () => {
    const { url } = await daemons.start('managers');
    const bob = new AgentClient(url);
    const res = await bob.login('bob', 'pw');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      success: true,
      token: expect.any(String),
      user: { username: 'bob', name: 'Bob', role: 'agent', status: 'available', departments: ['sales'], maxChats: 3 },
    });
    expect(res.body.token.length).toBeGreaterThanOrEqual(32);

    const alice = await new AgentClient(url).login('alice', 'pw');
    expect(alice.body.user).toEqual({ username: 'alice', name: 'Alice', role: 'agent', status: 'available', departments: ['sales'], maxChats: 5 });

    const lead = await new AgentClient(url).login('lead', 'pw');
    expect(lead.status).toBe(200);
    expect(lead.body.user).toMatchObject({ username: 'lead', name: 'Lee Lead', email: 'lead@example.com', role: 'manager', departments: [] });
  });

  it('refuses a wrong password and an unknown user with the same 401', async () => {
    const { url } = await daemons.start('managers');
    const wrong = await new AgentClient(url).login('alice', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(wrong.body).toEqual(INVALID);
    const unknown = await new AgentClient(url).login('mallory', 'pw');
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(INVALID);
  });

  it('refuses a login without username or password with a 4xx', async () => {
    const { url } = await daemons.start('managers');
    for (const body of [{}, { username: 'alice' }, { password: 'pw' }, { username: 'alice', password: 42 }]) {
      const res = await request(url, 'POST', '/api/v1/agent/login', { body });
      expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(body)).toBeLessThan(500);
      expect(res.body).toMatchObject({ success: false });
    }
  });

  it('the token authenticates /me until logout; without a valid bearer token the API answers 401', async () => {
    const { url } = await daemons.start('managers');
    const alice = await loginAs(url, 'alice');
    const me = await alice.me();
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ success: true, user: { username: 'alice', name: 'Alice', role: 'agent', status: 'available', departments: ['sales'], maxChats: 5 } });

    for (const token of [undefined, 'not-a-session-token', `${alice.token}x`]) {
      const stranger = new AgentClient(url, token);
      for (const res of [await stranger.me(), await stranger.rooms(), await stranger.queue(), await stranger.setStatus('away')]) {
        expect(res.status).toBe(401);
        expect(res.body).toMatchObject({ success: false, errorType: 'unauthorized' });
      }
    }

    expect((await alice.logout()).status).toBe(200);
    const after = await alice.me();
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ success: false, errorType: 'unauthorized' });
  });

  it('status: away and back; a login keeps an away agent away', async () => {
    const { url } = await daemons.start('managers');
    const alice = await loginAs(url, 'alice');
    const away = await alice.setStatus('away');
    expect(away.status).toBe(200);
    expect(away.body).toMatchObject({ success: true, user: { username: 'alice', status: 'away' } });
    expect((await alice.me()).body.user.status).toBe('away');

    const bad = await request(url, 'POST', '/api/v1/agent/status', { body: { status: 'busy' }, headers: { authorization: `Bearer ${alice.token}` } });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ success: false });
    expect((await alice.me()).body.user.status).toBe('away');

    await alice.logout();
    const again = await loginAs(url, 'alice');
    expect((await again.me()).body.user.status).toBe('away');
    const back = await again.setStatus('available');
    expect(back.body).toMatchObject({ success: true, user: { status: 'available' } });
  });

  it('a second session of the same agent works alongside the first', async () => {
    const { url } = await daemons.start('managers');
    const one = await loginAs(url, 'alice');
    const two = await loginAs(url, 'alice');
    expect(one.token).not.toBe(two.token);
    expect((await one.me()).status).toBe(200);
    expect((await two.me()).status).toBe(200);
    await one.logout();
    expect((await one.me()).status).toBe(401);
    expect((await two.me()).status).toBe(200);
  });

  it('session tokens are stored hashed and never logged', async () => {
    const d = await daemons.start('managers');
    const alice = await loginAs(d.url, 'alice');
    const token = alice.token!;
    expect((await alice.me()).status).toBe(200);
    await d.stop();
    for (const file of await filesUnder(d.dataDir)) {
      const bytes = await readFile(file);
      expect(bytes.includes(Buffer.from(token)), file).toBe(false);
    }
    expect(d.logs.join('')).not.toContain(token);
  });
});

describe('login rate limits', () => {
  it('per username: after repeated failures even the right password waits, with Retry-After; others still log in', async () => {
    const { url } = await daemons.start('managers');
    let limited: Awaited<ReturnType<AgentClient['login']>> | undefined;
    for (let attempt = 0; attempt < 40 && !limited; attempt++) {
      const res = await new AgentClient(url).login('alice', `guess-${attempt}`);
      if (res.status === 429) limited = res;
      else expect(res.body).toEqual(INVALID);
    }
    expect(limited, 'no 429 after 40 failed logins for one username').toBeDefined();
    expect(limited!.body).toMatchObject({ success: false, errorType: 'error-too-many-requests' });
    expect(limited!.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);

    const right = await new AgentClient(url).login('alice', 'pw');
    expect(right.status).toBe(429);
    expect(right.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
    expect(right.body).not.toHaveProperty('token');

    // Another user from the same address is not locked out by alice's attacker.
    expect((await new AgentClient(url).login('bob', 'pw')).status).toBe(200);
  });

  it('per IP: failures spread over many usernames lock the address out', async () => {
    const { url } = await daemons.start('managers');
    let limited = false;
    for (let attempt = 0; attempt < 100 && !limited; attempt++) {
      const res = await new AgentClient(url).login(`nobody${attempt}`, 'pw');
      if (res.status === 429) limited = true;
      else expect(res.status).toBe(401);
    }
    expect(limited, 'no 429 after 100 failed logins from one address').toBe(true);
    const right = await new AgentClient(url).login('carol', 'pw');
    expect(right.status).toBe(429);
    expect(right.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
  }, 60_000);
});
