/**
 * The whole console against a fake client: frames in, keys typed on its stdin, calls out. Every key of the issue
 * is pressed here at least once; waits poll the rendered frame, never sleep.
 */
import { render } from 'ink-testing-library';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../../src/tui/App.js';
import type { Profile, RoomView } from '../../../src/tui/wire.js';
import { FakeClient } from './fake-client.js';
import { alice, fromAgent, fromVisitor, lead, room, served } from './samples.js';

const KEY = { enter: '\r', altEnter: '\u001b\r', tab: '\t', escape: '\u001b', down: '\u001b[B', pageUp: '\u001b[5~', pageDown: '\u001b[6~', ctrlC: '\u0003', ctrlR: '\u0012' };
const ESC = '\u001b';

let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

/** Lets Ink's input parser settle (a lone ESC is held until the next turn of the event loop). */
const settle = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

function start(me: Profile = alice, size = { columns: 100, rows: 30 }) {
  const client = new FakeClient(me);
  const ring = vi.fn();
  const view = render(<App client={client} server="http://127.0.0.1:3000" me={me} ring={ring} size={size} />);
  cleanup = view.unmount;
  const screen = () => view.lastFrame() ?? '';
  const type = async (...keys: string[]) => {
    for (const k of keys) {
      view.stdin.write(k);
      await settle();
    }
  };
  const sees = (text: string | RegExp) => vi.waitFor(() => expect(screen()).toMatch(text), { timeout: 2000, interval: 5 });
  const readyWith = async (rooms: RoomView[], queue: RoomView[] = []) => {
    for (const r of [...rooms, ...queue]) client.rooms[r._id] = r;
    await vi.waitFor(() => expect(client.named('connect')).toHaveLength(1));
    client.emit({ type: 'ready', user: me, rooms: rooms.map((r) => ({ room: r, lastSeq: r.msgs })), queue: queue.map((r) => ({ room: r, lastSeq: r.msgs })) });
    client.setState('open');
    await sees('connected');
  };
  return { client, ring, screen, type, sees, readyWith };
}

const ana = { _id: 'v-q1', username: 'guest-q1', name: 'Ana Lima' };

describe('the console', () => {
  it('takes a queued chat with Enter and replies with Enter; the reply shows once, when acknowledged', async () => {
    const { client, type, sees, screen, readyWith } = start();
    await readyWith([], [room('q1', { fname: 'Ana Lima' })]);
    client.emit({ type: 'message', rid: 'q1', message: fromVisitor('q1', 1, 'I need help with my order', { u: ana }) });
    await sees('Ana Lima: I need help with my order');
    await type(KEY.enter);
    await sees('served by you');
    expect(client.named('take')).toEqual([['take', 'q1']]);
    await type('Happy to help!', KEY.enter);
    await sees(/\d\d:\d\d You: Happy to help!/);
    const [, rid, msg, clientMsgId] = client.named('send')[0]!;
    expect([rid, msg]).toEqual(['q1', 'Happy to help!']);
    // The server's own copy of the message (same id and seq) does not add a second line.
    client.emit({ type: 'message', rid: 'q1', message: { ...fromAgent('q1', 101, 'Happy to help!'), _id: clientMsgId } });
    await settle();
    expect(screen().match(/Happy to help!/g)).toHaveLength(1);
  });

  it('Alt+Enter writes a second line; Enter sends both', async () => {
    const { client, type, sees, readyWith } = start();
    await readyWith([served('r1')]);
    await type(KEY.enter, 'first', KEY.altEnter, 'second');
    await sees(/first\s*│[\s\S]*second/);
    await type(KEY.enter);
    await vi.waitFor(() => expect(client.named('send').map((c) => c[2])).toEqual(['first\nsecond']));
  });

  it('Tab moves between panes and j/k move in the list; the selected chat shows on the right', async () => {
    const { client, type, sees, readyWith } = start();
    await readyWith([served('r1', 'alice', { fname: 'Bruno', ts: '2024-05-02T14:00:00Z' }), served('r2', 'alice', { fname: 'Chen', ts: '2024-05-02T14:01:00Z' })]);
    client.emit({ type: 'message', rid: 'r2', message: fromVisitor('r2', 1, 'message for Chen') });
    await sees('Chen      ');
    await type('j');
    await sees('message for Chen');
    await type('k');
    await sees('Bruno · Sales');
    await type(KEY.tab, KEY.tab);
    await sees('Enter send · Alt+Enter new line');
    await type(KEY.escape);
    await sees('Enter reply · t transfer');
  });

  it('keys that arrive together are still each a key: "jj" moves twice, "cDone⏎" closes with a comment', async () => {
    const { client, type, sees, readyWith } = start();
    await readyWith([
      served('r1', 'alice', { fname: 'First', ts: '2024-05-02T14:00:00Z' }),
      served('r2', 'alice', { fname: 'Second', ts: '2024-05-02T14:01:00Z' }),
      served('r3', 'alice', { fname: 'Third', ts: '2024-05-02T14:02:00Z' }),
    ]);
    await type('jj');
    await sees('Third · Sales');
    await type('cDone\r');
    await vi.waitFor(() => expect(client.named('close')).toEqual([['close', 'r3', 'Done']]));
  });

  it('s switches between available and away', async () => {
    const { client, type, sees, readyWith } = start();
    await readyWith([]);
    await type('s');
    await sees('● away');
    await type('s');
    await sees('● available');
    expect(client.named('setStatus')).toEqual([
      ['setStatus', 'away'],
      ['setStatus', 'available'],
    ]);
  });

  it('c closes the chat with a comment; the closed chat stays on screen, marked', async () => {
    const { client, type, sees, readyWith } = start();
    await readyWith([served('r1', 'alice', { fname: 'Ana Lima' })]);
    await type('c');
    await sees('Close the chat with Ana Lima');
    await type('Refund issued', KEY.enter);
    await vi.waitFor(() => expect(client.named('close')).toEqual([['close', 'r1', 'Refund issued']]));
    await sees('Ana Lima · Sales · #7 · closed');
    await sees('This chat is closed');
  });

  it('t transfers to a department or to an agent by username, with a comment', async () => {
    const { client, type, sees, readyWith } = start();
    await readyWith([served('r1', 'alice', { fname: 'Ana Lima', ts: '2024-05-02T14:00:00Z' }), served('r2', 'alice', { ts: '2024-05-02T14:01:00Z' })]);
    await type('t');
    await sees('Transfer Ana Lima to…');
    await sees('department Support');
    await type('support', KEY.enter);
    await sees('Transfer Ana Lima to department Support');
    await type('billing question', KEY.enter);
    await vi.waitFor(() => expect(client.named('transfer')).toEqual([['transfer', 'r1', { department: 'support' }, 'billing question']]));
    await type('j', 't', 'bob', KEY.enter, KEY.enter);
    await vi.waitFor(() => expect(client.named('transfer')[1]).toEqual(['transfer', 'r2', { agent: 'bob' }, undefined]));
    await sees('Transferred Visitor r2 to bob');
  });

  it('PgUp and PgDn scroll the history', async () => {
    const { client, type, sees, screen, readyWith } = start();
    await readyWith([served('r1', 'alice', { msgs: 40 })]);
    for (let seq = 1; seq <= 40; seq++) client.emit({ type: 'message', rid: 'r1', message: fromVisitor('r1', seq, `line ${seq}.`) });
    await sees('line 40.');
    await type(KEY.pageUp);
    await sees('more lines below');
    expect(screen()).not.toContain('line 40.');
    await type(KEY.pageDown);
    await sees('line 40.');
  });

  it('a chat offered and a message in another chat ring the bell and mark it unread', async () => {
    const { client, ring, sees, readyWith } = start();
    await readyWith([served('r1', 'alice', { ts: '2024-05-02T14:00:00Z' }), served('r2', 'alice', { fname: 'Chen', ts: '2024-05-02T14:01:00Z' })]);
    client.rooms.q9 = room('q9', { fname: 'Newcomer' });
    client.emit({ type: 'room.queued', room: client.rooms.q9 });
    await sees('Newcomer');
    await vi.waitFor(() => expect(ring).toHaveBeenCalledTimes(1));
    client.emit({ type: 'message', rid: 'r2', message: fromVisitor('r2', 1, 'hello?') });
    await sees(/Chen\s+●1/);
    await vi.waitFor(() => expect(ring).toHaveBeenCalledTimes(2));
    // In the chat on screen: no bell.
    client.emit({ type: 'message', rid: 'r1', message: fromVisitor('r1', 1, 'here') });
    await sees('Visitor r1: here');
    expect(ring).toHaveBeenCalledTimes(2);
  });

  it('fetches the history of a chat transferred in', async () => {
    const { client, sees, readyWith } = start();
    await readyWith([]);
    client.history.r5 = [fromVisitor('r5', 1, 'said before the transfer'), fromAgent('r5', 2, 'bob answered', 'bob', 'Bob Baker')];
    client.rooms.r5 = served('r5', 'alice', { msgs: 2 });
    client.emit({ type: 'room.assigned', room: client.rooms.r5, previousAgent: 'bob' });
    await sees('said before the transfer');
    await sees('Bob Baker: bob answered');
    expect(client.named('messages')).toEqual([['messages', 'r5', 0]]);
  });

  it('a lost connection shows a banner; replies wait, marked, and go out once it is back', async () => {
    const { client, type, sees, screen, readyWith } = start();
    await readyWith([served('r1')]);
    let ack!: () => void;
    client.answer.send = (rid, _msg, clientMsgId) => new Promise((resolve) => (ack = () => resolve({ type: 'ack', rid, clientMsgId, _id: clientMsgId, seq: 1 })));
    client.setState('reconnecting', 'closed with 1006');
    await sees('Connection lost (closed with 1006), reconnecting…');
    await type(KEY.enter, 'are you there?', KEY.enter);
    await sees('… waiting for the connection');
    client.emit({ type: 'ready', user: alice, rooms: [{ room: served('r1'), lastSeq: 0 }], queue: [] });
    client.setState('open');
    await vi.waitFor(() => expect(screen()).not.toContain('Connection lost'));
    await sees('… sending');
    ack();
    await sees(/\d\d:\d\d You: are you there\?/);
    expect(screen()).not.toContain('sending');
  });

  it('a refused reply is marked; Ctrl-R sends it again under the same id', async () => {
    const { client, type, sees, readyWith } = start();
    await readyWith([served('r1')]);
    client.answer.send = () => Promise.reject(new Error('The chat is being moved'));
    await type(KEY.enter, 'try this', KEY.enter);
    await sees('✗ not sent (The chat is being moved)');
    client.answer.send = async (rid, _msg, clientMsgId) => ({ type: 'ack', rid, clientMsgId, _id: clientMsgId, seq: 3 });
    await type(KEY.ctrlR);
    await sees(/\d\d:\d\d You: try this/);
    const ids = client.named('send').map((c) => c[3]);
    expect(ids).toHaveLength(2);
    expect(ids[0]).toBe(ids[1]);
  });

  it('draws typing indicators and tells the visitor when the agent types', async () => {
    const { client, type, sees, readyWith } = start();
    await readyWith([served('r1', 'alice', { fname: 'Ana Lima' })]);
    client.emit({ type: 'typing', rid: 'r1', username: 'guest-r1', name: 'Ana Lima', typing: true });
    await sees('Ana Lima is typing…');
    await type(KEY.enter, 'h');
    await vi.waitFor(() => expect(client.named('typing')).toEqual([['typing', 'r1', true]]));
  });

  it('v shows the visitor details; ? shows the keys and any key closes them', async () => {
    const { type, sees, screen, readyWith } = start();
    await readyWith([served('r1', 'alice', { fname: 'Ana Lima', livechatData: { order: 'A-1001' } })]);
    await type('v');
    await sees(/order\s+A-1001/);
    await type('v', '?');
    await sees('Keys — any key closes this');
    await type('x');
    await vi.waitFor(() => expect(screen()).not.toContain('Keys — any key'));
  });

  it('the visitor pane fetches the details of the selected chat; the transfer picker lists agents from the daemon', async () => {
    const { client, type, sees, readyWith } = start(alice, { columns: 130, rows: 30 });
    client.visitorInfo.r1 = {
      visitor: { _id: 'v-r1', username: 'guest-r1', email: 'ana@example.com', customFields: [{ id: 'order', label: 'Order', value: 'A-1001' }], browser: 'Chrome 120', os: 'Windows 10' },
      pages: [{ ts: '2024-01-01T00:00:00.000Z', title: 'Pricing', href: 'https://shop.example/pricing' }],
    };
    client.directory = [{ username: 'bob', name: 'Bob Baker', status: 'away', departments: ['support'] }];
    await readyWith([served('r1', 'alice', { fname: 'Ana Lima' })]);
    await sees(/E-mail\s+ana@example\.com/);
    await sees('Pricing');
    expect(client.named('visitor')).toEqual([['visitor', 'r1']]);
    await type('t');
    await sees(/agent Bob Baker \(bob\) ● away · Support/);
    expect(client.named('agents')).toHaveLength(1);
  });

  it('the header shows the configuration generation and follows config.changed', async () => {
    const { client, sees, readyWith } = start();
    await readyWith([]);
    client.emit({ type: 'ready', user: alice, generation: 2, rooms: [], queue: [] });
    await sees('gen 2');
    client.emit({ type: 'config.changed', hash: 'h', generation: 3 });
    await sees('gen 3');
  });

  it('q logs out and leaves; with unsent replies it asks first', async () => {
    const { client, type, sees, readyWith } = start();
    await readyWith([served('r1')]);
    client.answer.send = () => new Promise(() => undefined);
    await type(KEY.enter, 'pending', KEY.enter, KEY.escape, 'q');
    await sees('1 reply has not been confirmed by the server');
    await type(KEY.escape);
    await type(KEY.ctrlC);
    await sees('1 reply has not been confirmed');
    await type('q');
    await vi.waitFor(() => expect(client.named('logout')).toHaveLength(1));
    await vi.waitFor(() => expect(client.named('disconnect')).toHaveLength(1));
  });

  it('a visitor message full of ANSI and OSC sequences renders inert', async () => {
    const { client, sees, screen, readyWith } = start();
    await readyWith([served('r1')]);
    client.emit({
      type: 'message',
      rid: 'r1',
      message: fromVisitor('r1', 1, `${ESC}]0;PWNED\u0007${ESC}[2J${ESC}[H${ESC}[31mred${ESC}[0m \u009b2Jplain ${ESC}]8;;http://evil${ESC}\\link${ESC}]8;;${ESC}\\`),
    });
    await sees('Visitor r1: red plain link');
    expect(screen()).not.toMatch(/PWNED|\u001b\]|\u009b|\[2J|\[H/);
  });

  it('a manager sees every chat and can take, transfer or close any', async () => {
    const { client, type, sees, readyWith } = start(lead);
    await readyWith([served('r1', 'alice', { fname: 'Served by Alice', ts: '2024-05-02T14:00:00Z' }), room('q1', { fname: 'Waiting' })], [room('q1', { fname: 'Waiting' })]);
    await sees('OTHER AGENTS 1');
    await sees(/QUEUE 1[\s\S]*Waiting/);
    await type('j');
    await sees('served by alice');
    await type('c', KEY.enter);
    await vi.waitFor(() => expect(client.named('close')).toEqual([['close', 'r1', undefined]]));
    await type('k', KEY.enter);
    await vi.waitFor(() => expect(client.named('take')).toEqual([['take', 'q1']]));
  });

  it('fits 80×24: no line wider than the terminal, one row left free', async () => {
    const { client, sees, screen, readyWith } = start(alice, { columns: 80, rows: 24 });
    await readyWith([served('r1', 'alice', { fname: 'A visitor with a rather long name indeed' })], [room('q1')]);
    client.emit({ type: 'message', rid: 'q1', message: fromVisitor('q1', 1, 'word '.repeat(60)) });
    await sees('word');
    const lines = screen().split('\n');
    expect(lines.length).toBeLessThanOrEqual(23);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(80);
  });
});
