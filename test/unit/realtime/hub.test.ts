import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../../src/domain/events.js';
import type { Message } from '../../../src/domain/message.js';
import type { Room } from '../../../src/domain/room.js';
import type { EventBus } from '../../../src/domain/ports/bus.js';
import type { ChatServices } from '../../../src/services/api.js';
import { Hub } from '../../../src/realtime/hub.js';
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
});
