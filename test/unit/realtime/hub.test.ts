import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../src/domain/events.js';
import type { Message } from '../../../src/domain/message.js';
import type { Room } from '../../../src/domain/room.js';
import type { EventBus } from '../../../src/domain/ports/bus.js';
import type { ChatServices } from '../../../src/services/api.js';
import { Hub } from '../../../src/realtime/hub.js';
import type { AgentSession } from '../../../src/realtime/agent-session.js';
import type { VisitorSession } from '../../../src/realtime/visitor-session.js';

/** A visitor session as the hub sees it: a token and live messages in. */
function session(token: string, name: string, got: string[]): VisitorSession {
  return { token, live: (m: Message) => got.push(`${name}:${m.seq}`) } as unknown as VisitorSession;
}

function setUp() {
  let route: (event: DomainEvent) => void = () => undefined;
  const bus = { publish: () => undefined, subscribe: (h: (e: DomainEvent) => void) => ((route = h), () => undefined) } as unknown as EventBus;
  const hub = new Hub({} as ChatServices, bus);
  let seq = 0;
  const message = (token: string) => {
    seq += 1;
    const room = { _id: `R-${token}`, v: { token } } as unknown as Room;
    route({ type: 'message.created', room, message: { rid: room._id, seq } as Message });
  };
  return { hub, message };
}

describe('Hub', () => {
  it('fans out to every socket of a token as they come and go (one, several, one again, none)', () => {
    const { hub, message } = setUp();
    const got: string[] = [];
    const [a, b, c] = ['a', 'b', 'c'].map((name) => session('T', name, got)) as [VisitorSession, VisitorSession, VisitorSession];
    const other = session('U', 'u', got);
    hub.addVisitor(a);
    hub.addVisitor(other);
    message('T'); // 1
    hub.addVisitor(b);
    hub.addVisitor(c);
    message('T'); // 2
    hub.removeVisitor(b);
    message('T'); // 3
    hub.removeVisitor(a);
    message('T'); // 4: c alone again
    hub.removeVisitor(a); // not there any more: nothing happens
    message('T'); // 5
    hub.removeVisitor(c);
    message('T'); // 6: nobody
    hub.addVisitor(b);
    message('T'); // 7
    message('U'); // 8
    expect(got).toEqual(['a:1', 'a:2', 'b:2', 'c:2', 'a:3', 'c:3', 'c:4', 'c:5', 'b:7', 'u:8']);
    expect([...hub.connections()]).toEqual([other, b]);
  });

  it('sends a served chat\'s messages to its agent and the managers only, each socket once; a queued chat\'s to whoever may take it', () => {
    let route: (event: DomainEvent) => void = () => undefined;
    const bus = { publish: () => undefined, subscribe: (h: (e: DomainEvent) => void) => ((route = h), () => undefined) } as unknown as EventBus;
    // The rules of services/live.ts: managers see everything; agents their chats and the queue of their department.
    const managers = ['boss'];
    const live = {
      seersOf: (room: Room) => (room.status === 'queued' ? undefined : [...new Set([room.servedBy!.username, ...managers])]),
      canSee: (username: string, room: Room) => managers.includes(username) || room.servedBy?.username === username || (room.status === 'queued' && username !== 'outsider'),
    };
    const hub = new Hub({ live } as unknown as ChatServices, bus);
    const got: string[] = [];
    const agentSession = (username: string, tab: string) => ({ username, live: (m: Message) => got.push(`${username}${tab}:${m.seq}`) }) as unknown as AgentSession;
    for (const a of [agentSession('alice', '1'), agentSession('alice', '2'), agentSession('bob', ''), agentSession('boss', ''), agentSession('outsider', '')]) hub.addAgent(a);
    const post = (room: Partial<Room>, seq: number) => route({ type: 'message.created', room: { _id: 'R', v: { token: 'T' }, ...room } as Room, message: { rid: 'R', seq } as Message });

    post({ status: 'served', servedBy: { _id: 'alice', username: 'alice', ts: '' } }, 1);
    post({ status: 'served', servedBy: { _id: 'boss', username: 'boss', ts: '' } }, 2); // a manager serving: once
    post({ status: 'queued' }, 3);
    expect(got.sort()).toEqual(['alice1:1', 'alice1:3', 'alice2:1', 'alice2:3', 'bob:3', 'boss:1', 'boss:2', 'boss:3'].sort());
  });
});
