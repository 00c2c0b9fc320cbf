/**
 * `livechat agent` end to end: the built binary in a real terminal (tmux), against a real daemon on 127.0.0.1,
 * with the test playing the visitor over the Rocket.Chat visitor API. Everything is asserted on the screen as
 * tmux captures it; waiting means polling that screen until the text appears, bounded by a deadline.
 *
 * Without tmux the suite is skipped with a notice, except under CI=true, where tmux is required.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ENVIRONMENT, HELP } from '../../src/tui/bindings.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { startDaemon, type TestDaemon } from '../helpers/daemon.js';
import { tempDir } from '../helpers/tmp.js';

const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;
// A tmux server per test (a server being killed after one test must not take the next test's sessions along),
// with its socket in a directory of this suite that is removed afterwards.
let socketDir = '';
let socket = '';
let sockets = 0;
const DEADLINE_MS = 15_000;
const ESC = '\u001b';

/** One tmux session running one command, on this suite's own tmux server. */
class Terminal {
  private constructor(readonly name: string) {}

  /** The smallest terminal the console supports, 80×24, unless a test asks for another size. */
  static open(name: string, args: string[], env: Record<string, string> = {}, size: [columns: number, rows: number] = [80, 24]): Terminal {
    // The bell is on whatever the environment says: the test asserts that it rang.
    const vars = Object.entries({ LIVECHAT_BELL: 'on', ...env }).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
    // The shell prints how the program ended, on the screen where the test reads everything else.
    const command = ['sh', '-c', '"$@"; echo "[exit status $?]"', 'sh', process.execPath, 'bin/livechat.js', ...args];
    tmux('new-session', '-d', '-x', String(size[0]), '-y', String(size[1]), '-s', name, '-c', ROOT, ...vars, '--', ...command, ';', 'set-option', '-t', name, 'remain-on-exit', 'on');
    return new Terminal(name);
  }

  /** What the terminal shows; `joined` undoes the terminal's wrapping of long lines (and includes scrollback). */
  screen(joined = false): string {
    return joined ? tmux('capture-pane', '-p', '-J', '-S', '-', '-t', this.name) : tmux('capture-pane', '-p', '-t', this.name);
  }

  format(spec: string): string {
    return tmux('display-message', '-p', '-t', this.name, spec).trim();
  }

  /** Named keys (Enter, Escape, PageUp …). */
  press(...keys: string[]): void {
    tmux('send-keys', '-t', this.name, ...keys);
  }

  /** Text typed as is. */
  type(text: string): void {
    tmux('send-keys', '-t', this.name, '-l', text);
  }

  /** Polls the screen (or, with `history`, the screen and the scrollback, unwrapped) until it shows `expected`. */
  async sees(expected: string | RegExp, what = String(expected), history = false): Promise<string> {
    return poll(() => {
      const screen = this.screen(history);
      return (typeof expected === 'string' ? screen.includes(expected) : expected.test(screen)) ? screen : undefined;
    }, `${this.name} to show ${what}`, () => this.screen());
  }

  async stopsShowing(text: string): Promise<void> {
    await poll(() => (this.screen().includes(text) ? undefined : true), `${this.name} to stop showing ${text}`, () => this.screen());
  }
}

/**
 * The terminal is an agent's, not a CI job's: without this, the console (Ink) would see CI=true from the test
 * runner and draw only its last frame, on exit.
 */
const TERMINAL_ENV = Object.fromEntries(Object.entries(process.env).filter(([key]) => key !== 'CI' && key !== 'CONTINUOUS_INTEGRATION' && !key.startsWith('CI_')));

function tmux(...args: string[]): string {
  return execFileSync('tmux', ['-S', socket, '-f', '/dev/null', ...args], { encoding: 'utf8', env: TERMINAL_ENV });
}

async function poll<T>(probe: () => T | undefined | Promise<T | undefined>, waitingFor: string, lastSeen: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${waitingFor}; last seen:\n${lastSeen()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The visitor, over the Rocket.Chat-compatible REST API, with plain fetch. */
class Visitor {
  readonly token = randomBytes(24).toString('hex');
  rid = '';

  constructor(private readonly url: string) {}

  private async call(method: string, path: string, body?: unknown): Promise<Record<string, any>> {
    const res = await fetch(new URL(path, this.url), {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const data = (await res.json()) as Record<string, any>;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(data)}`);
    return data;
  }

  async start(name: string): Promise<void> {
    await this.call('POST', '/api/v1/livechat/visitor', { visitor: { token: this.token, name, email: 'ana@example.com', department: 'sales' } });
    this.rid = (await this.call('GET', `/api/v1/livechat/room?token=${this.token}`)).room._id;
  }

  async visit(title: string, href: string): Promise<void> {
    await this.call('POST', '/api/v1/livechat/page.visited', { token: this.token, rid: this.rid, pageInfo: { change: 'url', title, location: { href } } });
  }

  async say(msg: string): Promise<void> {
    await this.call('POST', '/api/v1/livechat/message', { token: this.token, rid: this.rid, msg });
  }

  async messages(): Promise<{ msg: string; t?: string; u: { username: string } }[]> {
    return (await this.call('GET', `/api/v1/livechat/messages.history/${this.rid}?token=${this.token}`)).messages;
  }

  /** Waits until the visitor's history has a message matching `test`. */
  async receives(test: (m: { msg: string; t?: string; u: { username: string } }) => boolean, what: string): Promise<void> {
    let last: unknown[] = [];
    await poll(async () => {
      last = await this.messages();
      return (last as Parameters<typeof test>[0][]).some(test) ? true : undefined;
    }, `the visitor to receive ${what}`, () => JSON.stringify(last));
  }
}

const count = (screen: string, text: string) => screen.split(text).length - 1;

/** A password distinctive enough that finding it anywhere on the screen means it was echoed. */
const WRONG_PASSWORD = 'Wr0ng-hunter2-Zq9';

if (!HAS_TMUX && process.env.CI !== 'true') console.warn('e2e agent console: tmux not found, skipped (install tmux to run it)');

describe.skipIf(!HAS_TMUX && process.env.CI !== 'true')('livechat agent in a real terminal', () => {
  let daemon: TestDaemon | undefined;
  let data: Awaited<ReturnType<typeof tempDir>>;

  beforeAll(() => {
    if (!HAS_TMUX) throw new Error('tmux is required for the terminal tests under CI=true');
    if (!existsSync(`${ROOT}dist/cli/livechat.js`)) throw new Error('dist/ is missing: run `npm run build` first');
    socketDir = mkdtempSync(join(tmpdir(), 'livechat-tmux-'));
  });

  afterAll(() => {
    if (socketDir) rmSync(socketDir, { recursive: true, force: true });
  });

  beforeEach(() => {
    socket = join(socketDir, `t${++sockets}`);
  });

  afterEach(async () => {
    spawnSync('tmux', ['-S', socket, 'kill-server']);
    await daemon?.stop();
    daemon = undefined;
    await data?.remove();
  });

  it('log in, take a visitor’s chat, reply, transfer it to a second agent, who closes it', { timeout: 120_000 }, async () => {
    data = await tempDir('livechat-tui-');
    daemon = await startDaemon('tui/console.yaml', { DATA_DIR: data.path });

    // Alice logs in; a wrong password is said plainly and asked again.
    const alice = Terminal.open('alice', ['agent', '--server', daemon.url, '--user', 'alice']);
    await alice.sees('Password for alice at');
    alice.type(WRONG_PASSWORD);
    alice.press('Enter');
    await alice.sees('Login failed: Invalid username or password. Try again');
    // Typed without echo: the prompt line stays empty, and nothing of it is on the screen.
    expect(alice.screen(true)).not.toContain(WRONG_PASSWORD);
    expect(alice.screen(true)).toMatch(/Password for alice at http:\/\/127\.0\.0\.1:\d+: \nLogin failed/);
    alice.type('pw');
    alice.press('Enter');
    // 80 columns: the header is cut at its end (the server's URL, then the name), never the status or connection.
    await alice.sees(/^ livechat ● available · Alice Archer \(ali\S* +queue 0 · mine 0 · gen 1 · connected$/m, 'the header with the config generation');

    // A visitor's chat arrives in the queue.
    const visitor = new Visitor(daemon.url);
    await visitor.start('Ana Lima');
    await visitor.visit('Pricing plans', 'https://shop.example/pricing');
    await visitor.say('Hello, I need help with my order');
    await alice.sees(/QUEUE 1[\s\S]*› Ana Lima/, 'the chat in the queue');
    await alice.sees('Ana Lima: Hello, I need help with my order');
    await alice.sees('waiting in the queue');

    // Take it and reply; the visitor receives the reply.
    alice.press('Enter');
    await alice.sees('Ana Lima · Sales · #1 · served by you');
    alice.type('Hi Ana, I am on it');
    alice.press('Enter');
    await alice.sees(/\d\d:\d\d You: Hi Ana, I am on it/, 'the acknowledged reply');
    await visitor.receives((m) => m.u.username === 'alice' && m.msg === 'Hi Ana, I am on it', 'the reply');
    expect(count(alice.screen(), 'Hi Ana, I am on it')).toBe(1);

    // A message full of escape sequences is drawn as text: no title, no cleared screen, no moved cursor.
    const titleBefore = alice.format('#{pane_title}');
    await visitor.say(`${ESC}]0;PWNED\u0007${ESC}[2J${ESC}[H${ESC}[31mRED${ESC}[0m text \u009b2J${ESC}]8;;http://evil.example${ESC}\\link${ESC}]8;;${ESC}\\ end`);
    const screen = await alice.sees('Ana Lima: RED text link end');
    expect(screen).not.toContain('PWNED');
    expect(alice.format('#{pane_title}')).toBe(titleBefore);
    const rows = screen.split('\n');
    expect(rows[0]).toContain('livechat ● available · Alice Archer');
    expect(screen).toContain('Hello, I need help with my order');
    expect(screen).toMatch(/Enter send · Alt\+Enter new line/);

    // Bob logs in (password from the environment) and Alice transfers the chat to him.
    const bob = Terminal.open('bob', ['agent', '--server', daemon.url, '--user', 'bob'], { LIVECHAT_PASSWORD: 'pw' });
    await bob.sees('livechat ● available · Bob Baker');
    await bob.sees('connected');
    alice.press('Escape');
    await alice.sees('Enter reply · t transfer');

    // v: the visitor's details from the daemon — e-mail and the pages they visited.
    alice.press('v');
    await alice.sees(/E-mail\s+ana@example\.com/, 'the visitor e-mail');
    await alice.sees('Pricing plans', 'a visited page');
    alice.press('v');
    await alice.stopsShowing('Pricing plans');

    // The picker lists the configured agents with their status and departments.
    alice.press('t');
    await alice.sees('Transfer Ana Lima to…');
    alice.type('bob');
    await alice.sees(/› agent Bob Baker \(bob\) ● available/, 'bob in the picker with his status');
    alice.press('Enter');
    await alice.sees('Transfer Ana Lima to agent Bob Baker (bob)');
    alice.type('VIP customer');
    alice.press('Enter');
    await alice.sees('Transferred Ana Lima to Bob Baker');
    await alice.sees('queue 0 · mine 0');

    // Bob sees it, with what was said before and the transfer note.
    await bob.sees('Ana Lima was transferred to you from');
    await bob.sees('Ana Lima · Sales · #1 · served by you');
    await bob.sees('Ana Lima: Hello, I need help with my order');
    await bob.sees('Alice Archer: Hi Ana, I am on it');
    await bob.sees(/Alice Archer transferred the chat to[\s│]*Bob[\s│]*Baker: “VIP[\s│]*customer”/, 'the transfer note (wrapped at 80 columns)');
    expect(bob.format('#{window_bell_flag}')).toBe('1');

    // Bob closes it with a comment; the visitor gets the close message.
    bob.press('c');
    await bob.sees('Close the chat with Ana Lima');
    bob.type('Refund issued');
    bob.press('Enter');
    await bob.sees('Ana Lima · Sales · #1 · closed');
    await bob.sees('Chat closed by Bob Baker: “Refund issued”');
    await visitor.receives((m) => m.t === 'livechat-close' && m.msg === 'Refund issued', 'the close message');

    // q quits cleanly: logged out, terminal given back, exit status 0.
    bob.press('q');
    await bob.sees('[exit status 0]', 'bob’s console to exit', true);
    expect(bob.screen()).not.toContain('Bob Baker (bob)');

    // Alice's terminal, given back: the login transcript shows neither password.
    alice.press('q');
    const transcript = await alice.sees('[exit status 0]', 'alice’s console to exit', true);
    expect(transcript).not.toContain(WRONG_PASSWORD);
    expect(transcript.match(/Password for alice at http:\/\/127\.0\.0\.1:\d+: *$/gm)).toHaveLength(2); // both prompts, nothing typed after them
  });

  it('rings no bell with --no-bell or LIVECHAT_BELL=off (and does without them)', { timeout: 60_000 }, async () => {
    data = await tempDir('livechat-tui-');
    daemon = await startDaemon('tui/console.yaml', { DATA_DIR: data.path });
    const terminals = {
      flag: Terminal.open('flag', ['agent', '--server', daemon.url, '--user', 'alice', '--no-bell'], { LIVECHAT_PASSWORD: 'pw', LIVECHAT_BELL: 'on' }),
      env: Terminal.open('env', ['agent', '--server', daemon.url, '--user', 'alice'], { LIVECHAT_PASSWORD: 'pw', LIVECHAT_BELL: 'off' }),
      on: Terminal.open('on', ['agent', '--server', daemon.url, '--user', 'alice'], { LIVECHAT_PASSWORD: 'pw', LIVECHAT_BELL: 'on' }),
    };
    for (const term of Object.values(terminals)) await term.sees('connected');

    const visitor = new Visitor(daemon.url);
    await visitor.start('Ana Lima');
    await visitor.say('Anyone there?');
    for (const term of Object.values(terminals)) await term.sees('Ana Lima: Anyone there?');
    // The bell is written right after the frame that shows the news; a later frame (the help, opened by a key)
    // proves the console is past that point.
    for (const term of Object.values(terminals)) {
      term.press('?');
      await term.sees('this help');
    }
    expect(terminals.on.format('#{window_bell_flag}')).toBe('1');
    expect(terminals.flag.format('#{window_bell_flag}')).toBe('0');
    expect(terminals.env.format('#{window_bell_flag}')).toBe('0');
  });

  it('a daemon restart shows a banner; the console reconnects and resumes, losing and repeating nothing', { timeout: 120_000 }, async () => {
    data = await tempDir('livechat-tui-');
    daemon = await startDaemon('tui/console.yaml', { DATA_DIR: data.path, PORT: '0' });
    const port = new URL(daemon.url).port;
    const alice = Terminal.open('alice', ['agent', '--server', daemon.url, '--user', 'alice'], { LIVECHAT_PASSWORD: 'pw' });
    await alice.sees('connected');
    const visitor = new Visitor(daemon.url);
    await visitor.start('Ana Lima');
    await visitor.say('first question');
    await alice.sees('Ana Lima: first question');
    alice.press('Enter');
    await alice.sees('served by you');

    await daemon.stop();
    await alice.sees('Connection lost');
    alice.type('written while offline');
    alice.press('Enter');
    await alice.sees('… waiting for the connection');

    daemon = await startDaemon('tui/console.yaml', { DATA_DIR: data.path, PORT: port });
    await alice.stopsShowing('Connection lost');
    await alice.sees(/\d\d:\d\d You: written while offline/, 'the reply sent after reconnecting');
    await visitor.receives((m) => m.msg === 'written while offline', 'the reply written while offline');
    await visitor.say('second question');
    const screen = await alice.sees('Ana Lima: second question');
    for (const text of ['first question', 'written while offline', 'second question']) expect(count(screen, text)).toBe(1);
    expect((await visitor.messages()).filter((m) => m.msg === 'written while offline')).toHaveLength(1);
  });

  it('says in one line why it cannot start, and exits 1', { timeout: 60_000 }, async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as { port: number };
        server.close(() => resolve(port));
      });
    });
    const term = Terminal.open('nowhere', ['agent', '--server', `http://127.0.0.1:${closedPort}`, '--user', 'alice'], { LIVECHAT_PASSWORD: 'pw' });
    await term.sees('[exit status 1]', 'the command to exit', true);
    expect(term.screen(true)).toContain(`livechat: cannot reach http://127.0.0.1:${closedPort}: connection refused (is livechatd running? see --server)\n[exit status 1]`);
  });
});

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('livechat agent --help', () => {
  it('lists every key of the console and every environment variable', async () => {
    const result = await runCli('livechat', ['agent', '--help']);
    expect(result.code).toBe(0);
    for (const section of HELP) {
      expect(result.stdout).toContain(`  ${section.title}\n`);
      for (const [keys, what] of section.keys) expect(result.stdout).toMatch(new RegExp(`^ {4}${escape(keys)} +${escape(what)}$`, 'm'));
    }
    for (const [name, what] of ENVIRONMENT) expect(result.stdout).toMatch(new RegExp(`^ {4}${name} +${escape(what)}$`, 'm'));
    expect(result.stdout).toContain('--no-bell');
    expect(result.stdout).toContain('80×24');
  });
});
