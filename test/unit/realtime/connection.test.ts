import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import { describe, expect, it } from 'vitest';
import { CLOSE } from '../../../src/realtime/close-codes.js';
import { Connection, DEFAULT_LIMITS, type ConnectionHost, type Frame } from '../../../src/realtime/connection.js';
import { capturedLogger } from '../../helpers/daemon.js';

/** Just enough of a ws WebSocket: frames in by `receive`, frames out recorded, close recorded. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readonly CLOSING = 2;
  readonly CLOSED = 3;
  readyState = 1;
  bufferedAmount = 0;
  sent: Frame[] = [];
  closedWith: number | undefined;

  send(text: string): void {
    this.sent.push(JSON.parse(text) as Frame);
  }

  close(code: number): void {
    this.closedWith = code;
    this.readyState = this.CLOSING;
  }

  terminate(): void {
    this.readyState = this.CLOSING;
  }

  receive(frame: object): void {
    this.emit('message', Buffer.from(JSON.stringify(frame)), false);
  }

  /** The socket is gone: ws sets CLOSED, then emits `close`. */
  drop(): void {
    this.readyState = this.CLOSED;
    this.emit('close', 1006, Buffer.alloc(0));
  }
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

function setUp(overrides: Partial<ConnectionHost> = {}, authTimeoutMs = 5_000) {
  const ws = new FakeSocket();
  const { logger, logs } = capturedLogger();
  const handled: Frame[] = [];
  const steps: string[] = [];
  let closedCalls = 0;
  const host: ConnectionHost = {
    limits: { ...DEFAULT_LIMITS, authTimeoutMs },
    logger,
    async authenticate(conn) {
      conn.onFrames({
        async handleFrame(frame) {
          handled.push(frame);
          steps.push(`start ${String(frame.rid)}`);
          // Slow handling: later frames must wait for this one.
          await tick();
          steps.push(`end ${String(frame.rid)}`);
          if (frame.type === 'typing' && frame.rid === 'crash') throw new TypeError('bug');
        },
      });
    },
    admitFrame: async () => true,
    closed: () => void (closedCalls += 1),
    ...overrides,
  };
  const conn = new Connection(ws as unknown as WebSocket, 'visitor', host, 1);
  return { ws, conn, handled, steps, logs, closedCalls: () => closedCalls };
}

describe('Connection', () => {
  it('handles the frames of one connection in arrival order, each after the previous one finished', async () => {
    const { ws, steps } = setUp();
    ws.receive({ type: 'auth', token: 't' });
    for (let i = 0; i < 3; i++) ws.receive({ type: 'typing', rid: `R${i}`, typing: true });
    for (let i = 0; i < 20; i++) await tick();
    ws.receive({ type: 'typing', rid: 'R3', typing: true }); // after the backlog drained
    for (let i = 0; i < 5; i++) await tick();
    expect(steps).toEqual(['start R0', 'end R0', 'start R1', 'end R1', 'start R2', 'end R2', 'start R3', 'end R3']);
  });

  it('acts on nothing but auth before authentication, and closes a socket that sends none in time', async () => {
    const early = setUp();
    early.ws.receive({ type: 'typing', rid: 'R1', typing: true });
    await tick();
    expect(early.ws.closedWith).toBe(CLOSE.authFailed);
    expect(early.handled).toEqual([]);

    const silent = setUp({}, 10);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(silent.ws.closedWith).toBe(CLOSE.authTimeout);
  });

  it('closes with 1011 on a bug in handling and drops the frames after it', async () => {
    const { ws, handled, logs } = setUp({
      admitFrame: async (conn) => {
        if (conn.authenticated) throw new TypeError('bug outside the handler');
        return true;
      },
    });
    ws.receive({ type: 'auth', token: 't' });
    ws.receive({ type: 'typing', rid: 'R1', typing: true });
    ws.receive({ type: 'typing', rid: 'R2', typing: true });
    for (let i = 0; i < 10; i++) await tick();
    expect(ws.closedWith).toBe(CLOSE.internalError);
    expect(handled).toEqual([]);
    expect(logs.some((l) => l.includes('frame handling crashed'))).toBe(true);
  });

  it('answers a handler error with an internal-error frame and goes on with the next frame', async () => {
    const { ws, handled } = setUp();
    ws.receive({ type: 'auth', token: 't' });
    ws.receive({ type: 'typing', rid: 'crash', typing: true });
    ws.receive({ type: 'typing', rid: 'R2', typing: true });
    for (let i = 0; i < 10; i++) await tick();
    expect(handled.map((f) => f.rid)).toEqual(['crash', 'R2']);
    expect(ws.sent).toEqual([{ type: 'error', code: 'internal-error', message: 'Internal server error' }]);
    expect(ws.closedWith).toBeUndefined();
  });

  it('runs the host bookkeeping and every cleanup exactly once, including those registered after the close', () => {
    const { ws, conn, closedCalls } = setUp();
    const runs: string[] = [];
    conn.onClose({ closed: () => runs.push('a') });
    conn.onClose({ closed: () => runs.push('b') });
    conn.onClose({ closed: () => runs.push('c') });
    ws.drop();
    conn.onClose({ closed: () => runs.push('late') });
    ws.emit('close', 1006, Buffer.alloc(0)); // even a second `close` runs nothing again
    expect(runs).toEqual(['a', 'b', 'c', 'late']);
    expect(closedCalls()).toBe(1);
  });

  it('keeps one cleanup as itself and runs it once', () => {
    const { ws, conn } = setUp();
    let runs = 0;
    conn.onClose({ closed: () => void (runs += 1) });
    ws.drop();
    expect(runs).toBe(1);
  });
});
