/** The console's state machine, frame by frame and action by action, with no terminal and no daemon. */
import { describe, expect, it } from 'vitest';
import { reduce } from '../../../src/tui/reduce.js';
import { listEntries, listOrder, unreadCount, waitingMs } from '../../../src/tui/selectors.js';
import { alice, frame, fromAgent, fromVisitor, lead, NOW, ready, room, served, stateAfter } from './samples.js';

const seqs = (state: ReturnType<typeof stateAfter>, rid: string) => (state.messages[rid] ?? []).map((m) => m.seq);

describe('ready', () => {
  it('lists the queue before my chats, selects the first, and counts what came before as read', () => {
    const state = stateAfter(alice, ready(alice, [served('r1', 'alice', { msgs: 2 })], [room('q1', { msgs: 1 })]));
    expect(listEntries(state).map((e) => [e.rid, e.section])).toEqual([
      ['q1', 'queue'],
      ['r1', 'mine'],
    ]);
    expect(state.selected).toBe('q1');
    expect(state.connection).toEqual({ state: 'open', ready: true });
    const replayed = reduce(state, frame({ type: 'message', rid: 'r1', message: fromVisitor('r1', 2, 'old') }));
    expect(unreadCount(replayed, 'r1')).toBe(0);
    expect(replayed.bells).toBe(0);
  });

  it('gives managers every open chat, including other agents’ ones', () => {
    const state = stateAfter(lead, ready(lead, [served('r1', 'alice'), served('r2', 'bob'), room('q1')], [room('q1')]));
    expect(listEntries(state).map((e) => [e.rid, e.section])).toEqual([
      ['q1', 'queue'],
      ['r1', 'others'],
      ['r2', 'others'],
    ]);
  });
});

describe('chats arriving and leaving', () => {
  it('a new queued chat rings, is unread, and has its history fetched', () => {
    const before = stateAfter(alice, ready(alice, [served('r1')]));
    const state = reduce(before, frame({ type: 'room.queued', room: room('q1', { msgs: 2 }) }));
    expect(state.bells).toBe(before.bells + 1);
    expect(state.historyWanted).toEqual({ q1: true });
    const fetched = reduce(state, { type: 'history', rid: 'q1', messages: [fromVisitor('q1', 1, 'hi'), fromVisitor('q1', 2, 'anyone?')] });
    expect(fetched.historyWanted).toEqual({});
    expect(unreadCount(fetched, 'q1')).toBe(2);
    expect(state.selected).toBe('r1');
  });

  it('a chat I take moves from the queue to my chats and is selected', () => {
    const state = stateAfter(alice, ready(alice, [], [room('q1'), room('q2')]), { type: 'room-result', room: served('q2') }, { type: 'select', rid: 'q2' });
    expect(listEntries(state).map((e) => [e.rid, e.section])).toEqual([
      ['q1', 'queue'],
      ['q2', 'mine'],
    ]);
    expect(state.selected).toBe('q2');
  });

  it('a chat another agent takes leaves my queue, and the selection moves to the next entry', () => {
    const state = stateAfter(alice, ready(alice, [], [room('q1', { queuedAt: '2024-05-02T14:00:00Z' }), room('q2', { queuedAt: '2024-05-02T14:01:00Z' })]));
    expect(state.selected).toBe('q1');
    const taken = reduce(state, frame({ type: 'room.assigned', room: served('q1', 'bob') }));
    expect(listOrder(taken)).toEqual(['q2']);
    expect(taken.selected).toBe('q2');
  });

  it('a chat I transferred leaves my list with a notice; a manager keeps seeing it', () => {
    const mine = stateAfter(alice, ready(alice, [served('r1')]));
    const gone = reduce(mine, frame({ type: 'room.assigned', room: served('r1', 'bob'), previousAgent: 'alice' }));
    expect(gone.rooms.r1).toBeUndefined();
    expect(gone.selected).toBeNull();
    expect(gone.notice?.text).toBe('Visitor r1 is now with bob');

    const manager = stateAfter(lead, ready(lead, [served('r1', 'alice')]));
    const moved = reduce(manager, frame({ type: 'room.assigned', room: served('r1', 'bob'), previousAgent: 'alice' }));
    expect(listEntries(moved).map((e) => [e.rid, e.section, e.room.servedBy?.username])).toEqual([['r1', 'others', 'bob']]);
  });

  it('a chat transferred to me rings, says from whom, and fetches what was said before', () => {
    const state = stateAfter(alice, ready(alice, []), frame({ type: 'room.assigned', room: served('r9', 'alice', { msgs: 4 }), previousAgent: 'bob' }));
    expect(state.bells).toBe(1);
    expect(state.notice?.text).toBe('Visitor r9 was transferred to you from bob');
    expect(state.historyWanted).toEqual({ r9: true });
  });

  it('a closed chat on screen stays, marked closed, until the agent moves on', () => {
    const state = stateAfter(alice, ready(alice, [served('r1', 'alice', { ts: '2024-05-02T14:00:00Z' }), served('r2', 'alice', { ts: '2024-05-02T14:01:00Z' })]));
    expect(state.selected).toBe('r1');
    const closed = reduce(state, frame({ type: 'room.closed', rid: 'r1', room: { ...served('r1'), status: 'closed', closer: 'visitor' } }));
    expect(listEntries(closed).map((e) => [e.rid, e.section])).toEqual([
      ['r2', 'mine'],
      ['r1', 'closed'],
    ]);
    expect(closed.notice?.text).toBe('Visitor r1 closed the chat');
    const movedOn = reduce(closed, { type: 'move', delta: -1 });
    expect(movedOn.selected).toBe('r2');
    expect(movedOn.rooms.r1).toBeUndefined();
    // One that is not on screen just goes.
    const other = reduce(state, frame({ type: 'room.closed', rid: 'r2', room: { ...served('r2'), status: 'closed' } }));
    expect(listOrder(other)).toEqual(['r1']);
  });
});

describe('messages', () => {
  const base = () => stateAfter(alice, ready(alice, [served('r1', 'alice', { ts: '2024-05-02T14:00:00Z' }), served('r2', 'alice', { ts: '2024-05-02T14:01:00Z' })]));

  it('in a chat not on screen: unread and a bell; on screen: read at once', () => {
    const state = reduce(base(), frame({ type: 'message', rid: 'r2', message: fromVisitor('r2', 1, 'hello?') }));
    expect(unreadCount(state, 'r2')).toBe(1);
    expect(state.bells).toBe(1);
    const seen = reduce(state, frame({ type: 'message', rid: 'r1', message: fromVisitor('r1', 1, 'hi') }));
    expect(unreadCount(seen, 'r1')).toBe(0);
    expect(seen.bells).toBe(1);
    expect(unreadCount(reduce(seen, { type: 'select', rid: 'r2' }), 'r2')).toBe(0);
  });

  it('each seq once, whatever the order and the overlap of replay, history and live', () => {
    let state = base();
    for (const seq of [2, 1, 2, 3, 1]) state = reduce(state, frame({ type: 'message', rid: 'r1', message: fromVisitor('r1', seq, `m${seq}`) }));
    state = reduce(state, { type: 'history', rid: 'r1', messages: [fromVisitor('r1', 1, 'm1'), fromVisitor('r1', 4, 'm4')] });
    expect(seqs(state, 'r1')).toEqual([1, 2, 3, 4]);
  });

  it('my own message shows once: pending until acknowledged, then in the conversation', () => {
    let state = reduce(base(), { type: 'send-started', rid: 'r1', clientMsgId: 'c1', msg: 'On it' });
    expect(state.pending.r1).toEqual([{ clientMsgId: 'c1', msg: 'On it' }]);
    expect(state.messages.r1 ?? []).toEqual([]);
    state = reduce(state, { type: 'send-acked', rid: 'r1', clientMsgId: 'c1', _id: 'c1', seq: 5, ts: new Date(NOW).toISOString() });
    expect(state.pending.r1).toEqual([]);
    expect(state.messages.r1!.map((m) => [m.seq, m.msg, m.u.username])).toEqual([[5, 'On it', 'alice']]);
    // The server's own copy (same seq) replaces it rather than adding a second one.
    state = reduce(state, frame({ type: 'message', rid: 'r1', message: { ...fromAgent('r1', 5, 'On it'), _id: 'c1' } }));
    expect(state.messages.r1!.map((m) => m.seq)).toEqual([5]);
  });

  it('the server’s copy arriving before the ack settles the pending message too', () => {
    let state = reduce(base(), { type: 'send-started', rid: 'r1', clientMsgId: 'c1', msg: 'On it' });
    state = reduce(state, frame({ type: 'message', rid: 'r1', message: { ...fromAgent('r1', 5, 'On it'), _id: 'c1' } }));
    expect(state.pending.r1).toEqual([]);
    state = reduce(state, { type: 'send-acked', rid: 'r1', clientMsgId: 'c1', _id: 'c1', seq: 5, ts: new Date(NOW).toISOString() });
    expect(state.messages.r1!.map((m) => m._id)).toEqual(['c1']);
  });

  it('a failed send is marked with the reason, can be retried (same id) or dropped', () => {
    let state = reduce(base(), { type: 'send-started', rid: 'r1', clientMsgId: 'c1', msg: 'On it' });
    state = reduce(state, { type: 'send-failed', rid: 'r1', clientMsgId: 'c1', reason: 'Room closed' });
    expect(state.pending.r1).toEqual([{ clientMsgId: 'c1', msg: 'On it', failed: 'Room closed' }]);
    const retried = reduce(state, { type: 'send-started', rid: 'r1', clientMsgId: 'c1', msg: 'On it' });
    expect(retried.pending.r1).toEqual([{ clientMsgId: 'c1', msg: 'On it' }]);
    expect(reduce(state, { type: 'discard-failed', rid: 'r1' }).pending.r1).toEqual([]);
  });

  it('an error frame no request is waiting for is shown as a notice and marks no message', () => {
    let state = reduce(base(), { type: 'send-started', rid: 'r1', clientMsgId: 'c1', msg: 'hello' });
    state = reduce(state, frame({ type: 'error', code: 'invalid-frame', message: 'invalid typing frame' }));
    expect(state.pending.r1).toEqual([{ clientMsgId: 'c1', msg: 'hello' }]);
    expect(state.notice).toEqual({ tone: 'error', text: 'invalid typing frame' });
  });

  it('typing shows per chat, ends with a message from the same person, and never shows my own', () => {
    let state = reduce(base(), frame({ type: 'typing', rid: 'r1', username: 'guest-r1', name: 'Ana\u001b[2J', typing: true }));
    state = reduce(state, frame({ type: 'typing', rid: 'r1', username: 'alice', name: 'Alice', typing: true }));
    expect(state.typing.r1).toEqual({ 'guest-r1': 'Ana' });
    state = reduce(state, frame({ type: 'message', rid: 'r1', message: fromVisitor('r1', 1, 'hi') }));
    expect(state.typing.r1).toEqual({});
  });
});

describe('reconnecting', () => {
  it('shows the state, and after the new ready keeps every message once', () => {
    let state = stateAfter(alice, ready(alice, [served('r1', 'alice', { msgs: 2 })]));
    state = reduce(state, frame({ type: 'message', rid: 'r1', message: fromVisitor('r1', 1, 'a') }));
    state = reduce(state, frame({ type: 'message', rid: 'r1', message: fromVisitor('r1', 2, 'b') }));
    state = reduce(state, { type: 'connection', state: 'reconnecting', detail: 'closed with 1006' });
    expect(state.connection).toMatchObject({ state: 'reconnecting', detail: 'closed with 1006' });
    state = reduce(state, ready(alice, [served('r1', 'alice', { msgs: 3 })], [room('q7', { msgs: 1 })]));
    expect(state.connection.state).toBe('open');
    for (const seq of [2, 3]) state = reduce(state, frame({ type: 'message', rid: 'r1', message: fromVisitor('r1', seq, `m${seq}`) }));
    expect(seqs(state, 'r1')).toEqual([1, 2, 3]);
    // A chat that queued up while the console was away is news.
    expect(state.bells).toBeGreaterThan(0);
    expect(listOrder(state)).toEqual(['q7', 'r1']);
  });

  it('drops chats that went elsewhere while disconnected', () => {
    let state = stateAfter(alice, ready(alice, [served('r1'), served('r2')]));
    state = reduce(state, ready(alice, [served('r2')]));
    expect(listOrder(state)).toEqual(['r2']);
    expect(state.selected).toBe('r2');
  });
});

describe('waiting times', () => {
  it('queued: since it queued; mine: since the visitor’s unanswered message; answered: none', () => {
    const state = stateAfter(alice, ready(alice, [served('r1')], [room('q1', { queuedAt: new Date(NOW - 90_000).toISOString() })]));
    expect(waitingMs(state, state.rooms.q1!)).toBe(90_000);
    const asked = reduce(state, { type: 'history', rid: 'r1', messages: [fromVisitor('r1', 1, 'hello', { ts: new Date(NOW - 30_000).toISOString() })] });
    expect(waitingMs(asked, asked.rooms.r1!)).toBe(30_000);
    const answered = reduce(asked, { type: 'history', rid: 'r1', messages: [fromAgent('r1', 2, 'hi')] });
    expect(waitingMs(answered, answered.rooms.r1!)).toBeUndefined();
  });
});
