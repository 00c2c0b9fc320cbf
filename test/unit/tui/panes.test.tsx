/** Each pane on its own, drawn from a state built with the reducer: what an agent reads in it. */
import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { Banner } from '../../../src/tui/components/Banner.js';
import { ChatList } from '../../../src/tui/components/ChatList.js';
import { Conversation } from '../../../src/tui/components/Conversation.js';
import { Footer } from '../../../src/tui/components/Footer.js';
import { Header } from '../../../src/tui/components/Header.js';
import { HelpDialog } from '../../../src/tui/components/HelpDialog.js';
import { InputLine } from '../../../src/tui/components/InputLine.js';
import { TransferDialog } from '../../../src/tui/components/TransferDialog.js';
import { VisitorPane } from '../../../src/tui/components/VisitorPane.js';
import { EMPTY, insert } from '../../../src/tui/editor.js';
import { reduce } from '../../../src/tui/reduce.js';
import { transcriptLines } from '../../../src/tui/transcript.js';
import { alice, frame, fromAgent, fromVisitor, lead, minutesAgo, ready, room, served, stateAfter } from './samples.js';

const draw = (node: React.ReactElement) => {
  const view = render(node);
  const text = view.lastFrame() ?? '';
  view.unmount();
  return text;
};

const ESC = '\u001b';
const hostile = `${ESC}]0;PWNED\u0007${ESC}[2J${ESC}[HAna${ESC}[31m Lima\u009b2J`;

describe('Header', () => {
  it('shows server, agent, status and connection', () => {
    const state = stateAfter(alice, ready(alice, [served('r1')], [room('q1'), room('q2')]));
    const text = draw(<Header state={state} width={100} />);
    expect(text).toContain('Alice Archer');
    expect(text).toContain('(alice)');
    expect(text).toContain('● available');
    expect(text).toContain('http://127.0.0.1:3000');
    expect(text).toContain('queue 2 · mine 1');
    expect(text).toContain('connected');
    expect(draw(<Header state={reduce(state, { type: 'connection', state: 'reconnecting' })} width={100} />)).toContain('reconnecting…');
    expect(draw(<Header state={stateAfter(lead, ready(lead, []))} width={100} />)).toContain('(lead, manager)');
  });

  it('keeps the status and the connection on an 80-column terminal', () => {
    const state = stateAfter(alice, ready(alice, [served('r1')], [room('q1'), room('q2')]));
    const text = draw(<Header state={state} width={80} />);
    expect(text.split('\n')).toHaveLength(1);
    expect(text).toMatch(/^ livechat ● available · Alice Archer/);
    expect(text).toMatch(/queue 2 · mine 1 · (gen \d+ · )?connected\s*$/);
  });
});

describe('Banner', () => {
  it('says the connection is lost and that replies wait', () => {
    const state = reduce(stateAfter(alice, ready(alice, [])), { type: 'connection', state: 'reconnecting', detail: 'closed with 1006' });
    const text = draw(<Banner state={state} width={100} />);
    expect(text).toContain('Connection lost (closed with 1006), reconnecting…');
    expect(draw(<Banner state={reduce(state, { type: 'connection', state: 'closed', detail: 'user removed' })} width={100} />)).toContain('Disconnected (user removed)');
  });
});

describe('ChatList', () => {
  it('shows each chat with visitor, department, waiting time and unread count, under its section', () => {
    let state = stateAfter(
      alice,
      ready(alice, [served('r1', 'alice', { fname: 'Bruno', ts: minutesAgo(20) }), served('r2', 'alice', { fname: 'Chen', ts: minutesAgo(10) })], [room('q1', { fname: 'Ana', queuedAt: minutesAgo(4) })]),
    );
    state = reduce(state, frame({ type: 'message', rid: 'r2', message: fromVisitor('r2', 1, 'hello?') }));
    state = reduce(state, frame({ type: 'message', rid: 'r2', message: fromVisitor('r2', 2, 'anyone?') }));
    const text = draw(<ChatList state={state} width={30} height={20} focused />);
    expect(text).toMatch(/QUEUE 1[\s\S]*› Ana[\s\S]*waits 4m · Sales[\s\S]*MY CHATS 2[\s\S]*Bruno[\s\S]*Chen\s+●2/);
  });

  it('keeps the selected chat in view when the list is longer than the pane', () => {
    const queue = Array.from({ length: 12 }, (_, i) => room(`q${String(i).padStart(2, '0')}`, { fname: `Visitor ${i}`, queuedAt: minutesAgo(30 - i) }));
    let state = stateAfter(alice, ready(alice, [], queue));
    for (let i = 0; i < 11; i++) state = reduce(state, { type: 'move', delta: 1 });
    const text = draw(<ChatList state={state} width={30} height={10} focused />);
    expect(text).toContain('› Visitor 11');
    expect(text).not.toContain('Visitor 0 ');
  });

  it('draws visitor names inert', () => {
    const state = stateAfter(alice, ready(alice, [], [room('q1', { fname: hostile })]));
    const text = draw(<ChatList state={state} width={30} height={8} focused />);
    expect(text).toContain('Ana Lima');
    expect(text).not.toMatch(/\u001b\]|\u009b|\[2J/);
  });
});

describe('Conversation', () => {
  const base = () =>
    reduce(stateAfter(alice, ready(alice, [served('r1', 'alice', { fname: 'Ana', msgs: 3 })])), {
      type: 'history',
      rid: 'r1',
      messages: [
        fromVisitor('r1', 1, 'My order has not arrived', { ts: '2024-05-02T14:05:00', u: { _id: 'v-r1', username: 'guest-r1', name: 'Ana' } }),
        fromAgent('r1', 2, 'Let me check', 'alice'),
        {
          _id: 's3',
          rid: 'r1',
          seq: 3,
          msg: '',
          ts: '2024-05-02T14:08:00',
          t: 'livechat_transfer_history',
          u: { _id: 'bob', username: 'bob', name: 'Bob' },
          transferData: { transferredBy: { username: 'bob', name: 'Bob' }, scope: 'agent', transferredTo: { username: 'alice', name: 'Alice Archer' }, comment: 'VIP' },
        },
      ],
    });

  it('shows the title, history with times, system messages and typing', () => {
    let state = base();
    state = reduce(state, frame({ type: 'typing', rid: 'r1', username: 'guest-r1', name: 'Ana', typing: true }));
    const text = draw(<Conversation state={state} lines={transcriptLines(state, 'r1', 66)} width={70} height={12} focused={false} />);
    expect(text).toContain('Ana · Sales · #7 · served by you');
    expect(text).toContain('14:05 Ana: My order has not arrived');
    expect(text).toContain('You: Let me check');
    expect(text).toContain('14:08 · Bob transferred the chat to Alice Archer: “VIP”');
    expect(text).toContain('Ana is typing…');
  });

  it('marks own messages not yet acknowledged, and says so differently while disconnected', () => {
    let state = reduce(base(), { type: 'send-started', rid: 'r1', clientMsgId: 'c1', msg: 'Found it' });
    expect(draw(<Conversation state={state} lines={transcriptLines(state, 'r1', 66)} width={70} height={14} focused={false} />)).toMatch(/You: Found it[\s\S]*… sending/);
    state = reduce(state, { type: 'connection', state: 'reconnecting' });
    expect(draw(<Conversation state={state} lines={transcriptLines(state, 'r1', 66)} width={70} height={14} focused={false} />)).toContain('… waiting for the connection');
    state = reduce(state, { type: 'send-failed', rid: 'r1', clientMsgId: 'c1', reason: 'Room closed' });
    expect(draw(<Conversation state={state} lines={transcriptLines(state, 'r1', 66)} width={70} height={14} focused={false} />)).toContain('✗ not sent (Room closed) Ctrl-R retry, Ctrl-X drop');
  });

  it('scrolls back through history and says how much is below', () => {
    let state = stateAfter(alice, ready(alice, [served('r1', 'alice', { msgs: 30 })]));
    state = reduce(state, { type: 'history', rid: 'r1', messages: Array.from({ length: 30 }, (_, i) => fromVisitor('r1', i + 1, `line ${i + 1}`)) });
    const lines = transcriptLines(state, 'r1', 66);
    const bottom = draw(<Conversation state={state} lines={lines} width={70} height={10} focused />);
    expect(bottom).toContain('line 30');
    expect(bottom).not.toContain('line 20');
    const up = reduce(state, { type: 'scroll', delta: 10, max: 24 });
    const scrolled = draw(<Conversation state={up} lines={lines} width={70} height={10} focused />);
    expect(scrolled).toContain('line 20');
    expect(scrolled).not.toContain('line 30');
    expect(scrolled).toContain('↓ 10 more lines below');
  });

  it('renders a visitor message full of escape sequences as plain text', () => {
    let state = stateAfter(alice, ready(alice, [served('r1')]));
    state = reduce(state, frame({ type: 'message', rid: 'r1', message: fromVisitor('r1', 1, `${hostile} ${ESC}]8;;http://evil${ESC}\\link${ESC}]8;;${ESC}\\`) }));
    const text = draw(<Conversation state={state} lines={transcriptLines(state, 'r1', 66)} width={70} height={8} focused={false} />);
    expect(text).toContain('Ana Lima link');
    expect(text).not.toMatch(/\u001b\]|\u009b|\[2J|\[H|PWNED/);
  });
});

describe('VisitorPane', () => {
  it('shows what the daemon tells agents about the visitor, and names what it does not', () => {
    const state = stateAfter(
      alice,
      ready(alice, [served('r1', 'alice', { fname: 'Ana Lima', livechatData: { order: 'A-1001', [`note${ESC}[2J`]: `vip${ESC}]0;x\u0007` } })]),
    );
    const text = draw(<VisitorPane state={state} width={40} height={24} />);
    expect(text).toMatch(/Name\s+Ana Lima/);
    expect(text).toMatch(/Username\s+guest-r1/);
    expect(text).toMatch(/Department\s+Sales/);
    expect(text).toMatch(/order\s+A-1001/);
    expect(text).toMatch(/note\s+vip/);
    expect(text).toMatch(/E-mail\s+—/);
    expect(text).toMatch(/Browser\/OS\s+—/);
    expect(text).not.toMatch(/\u001b\]|\[2J/);
  });
});

describe('VisitorPane with the details from the daemon', () => {
  it('shows e-mail, department name, labelled custom fields, browser/OS and pages visited, all sanitized', () => {
    let state = stateAfter(alice, ready(alice, [served('r1', 'alice', { fname: 'Ana Lima', livechatData: { order: 'A-1001' } })]));
    state = reduce(state, {
      type: 'visitor',
      rid: 'r1',
      lookup: {
        info: {
          visitor: {
            _id: 'v-r1',
            username: 'guest-r1',
            name: 'Ana Lima',
            email: `ana${ESC}[2J@example.com`,
            department: { _id: 'sales', name: 'Sales' },
            customFields: [{ id: 'order', label: `Order no${ESC}]0;x\u0007`, value: 'A-1001' }],
            browser: 'Firefox 121.0',
            os: 'Ubuntu',
          },
          pages: [
            { ts: '2024-01-01T00:00:00.000Z', title: 'Pricing', href: 'https://shop.example/pricing' },
            { ts: '2024-01-01T00:01:00.000Z', title: '', href: 'https://shop.example/checkout' },
          ],
        },
      },
    });
    const text = draw(<VisitorPane state={state} width={40} height={24} />);
    expect(text).toMatch(/E-mail\s+ana@example\.com/);
    expect(text).toMatch(/Department\s+Sales/);
    expect(text).toMatch(/Order no\s+A-1001/);
    expect(text).toMatch(/Browser\/OS\s+Firefox 121\.0 · Ubuntu/);
    expect(text).toMatch(/Pages visited[\s\S]*Pricing[\s\S]*https:\/\/shop\.example\/checkout/);
    expect(text).not.toMatch(/\u001b\]|\[2J/);
  });

  it('says when the details could not be fetched', () => {
    let state = stateAfter(alice, ready(alice, [served('r1')]));
    state = reduce(state, { type: 'visitor', rid: 'r1', lookup: { error: 'No such open room' } });
    const text = draw(<VisitorPane state={state} width={40} height={24} />);
    expect(text).toContain('Details unavailable:');
    expect(text).toContain('No such open');
  });
});

describe('Header generation', () => {
  it('shows the configuration generation from ready, then from config.changed', () => {
    const state = stateAfter(alice, { ...ready(alice, []), frame: { ...(ready(alice, []) as { frame: object }).frame, generation: 3 } } as never);
    expect(draw(<Header state={state} width={120} />)).toContain('gen 3');
    const changed = reduce(state, frame({ type: 'config.changed', hash: 'abc', generation: 4 }));
    expect(draw(<Header state={changed} width={120} />)).toContain('gen 4');
  });
});

describe('InputLine', () => {
  it('shows the draft with a cursor when focused, and why writing is not possible otherwise', () => {
    let state = stateAfter(alice, ready(alice, [served('r1')], [room('q1')]));
    state = reduce(state, { type: 'select', rid: 'r1' });
    state = reduce(state, { type: 'focus', pane: 'input' });
    state = reduce(state, { type: 'draft', rid: 'r1', editor: insert(EMPTY, 'Hello there') });
    expect(draw(<InputLine state={state} width={60} lines={1} />)).toContain('Hello there');
    const queued = reduce(state, { type: 'select', rid: 'q1' });
    expect(draw(<InputLine state={queued} width={60} lines={1} />)).toContain('Take this chat (Enter in the list) to reply');
  });
});

describe('Footer and help', () => {
  it('lists the keys that work here, or the last notice', () => {
    const state = stateAfter(alice, ready(alice, [], [room('q1')]));
    expect(draw(<Footer state={state} width={100} />)).toMatch(/Enter take · t transfer · c close · s away · v visitor · Tab pane · \? help · q quit/);
    expect(draw(<Footer state={reduce(state, { type: 'focus', pane: 'input' })} width={100} />)).toContain('Enter send · Alt+Enter new line');
    expect(draw(<Footer state={reduce(state, { type: 'notice', notice: { tone: 'error', text: 'Could not take the chat: gone' } })} width={100} />)).toContain(
      '✗ Could not take the chat: gone',
    );
  });

  it('the help names every key of the issue', () => {
    const text = draw(<HelpDialog width={90} height={30} />);
    for (const key of ['Enter', 'Tab', 'Alt+Enter', 's ', 'c ', 't ', 'PgUp PgDn', 'q Ctrl-C', '?']) expect(text).toContain(key);
  });
});

describe('TransferDialog', () => {
  it('offers departments and known agents, narrowed by typing, and a typed username as is', () => {
    let state = stateAfter(alice, ready(alice, [served('r1')]));
    state = reduce(state, { type: 'history', rid: 'r1', messages: [fromAgent('r1', 1, 'hi', 'bob', 'Bob Baker')] });
    const all = draw(<TransferDialog state={state} modal={{ kind: 'transfer', rid: 'r1', filter: EMPTY, index: 0 }} width={60} height={14} />);
    expect(all).toMatch(/› agent Bob Baker \(bob\)[\s\S]*department Sales[\s\S]*department Support/);
    const filtered = draw(<TransferDialog state={state} modal={{ kind: 'transfer', rid: 'r1', filter: insert(EMPTY, 'sup'), index: 0 }} width={60} height={14} />);
    expect(filtered).toContain('› department Support');
    expect(filtered).not.toContain('Sales');
    const typed = draw(<TransferDialog state={state} modal={{ kind: 'transfer', rid: 'r1', filter: insert(EMPTY, 'carol'), index: 0 }} width={60} height={14} />);
    expect(typed).toContain('› agent carol');
  });

  it("with the daemon's agent list: every agent with status and departments, available ones first", () => {
    let state = stateAfter(alice, ready(alice, [served('r1')]));
    state = reduce(state, {
      type: 'directory',
      agents: [
        { username: 'alice', name: 'Alice', status: 'available', departments: ['sales'] },
        { username: 'bob', name: 'Bob Baker', status: 'offline', departments: ['sales', 'support'] },
        { username: 'carol', name: `Carol${ESC}[2J`, status: 'available', departments: ['support'] },
      ],
    });
    const all = draw(<TransferDialog state={state} modal={{ kind: 'transfer', rid: 'r1', filter: EMPTY, index: 0 }} width={80} height={14} />);
    expect(all).toMatch(/› agent Carol \(carol\) ● available · Support[\s\S]*agent Bob Baker \(bob\) ● offline · Sales, Support[\s\S]*department Sales/);
    expect(all).not.toContain('agent Alice');
    expect(all).not.toMatch(/\[2J/);
  });
});
