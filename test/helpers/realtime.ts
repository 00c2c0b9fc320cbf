/**
 * Realtime test clients: the product's own client (src/client) over real sockets, plus a frame recorder that lets
 * a test wait for "the next frame like this" without sleeping.
 */
import { AgentClient, VisitorClient, type Frame } from '../../src/client/index.js';
import { nodeSocket } from '../../src/client/node.js';
import { WebSocket } from 'ws';

export { within } from './daemon-process.js';

const FAST = { baseMs: 20, maxMs: 200 };

export class Recorder {
  readonly frames: Frame[] = [];
  readonly #waiters: { test: (f: Frame) => boolean; resolve: (f: Frame) => void }[] = [];

  push = (frame: Frame): void => {
    this.frames.push(frame);
    for (const w of [...this.#waiters]) {
      if (w.test(frame)) {
        this.#waiters.splice(this.#waiters.indexOf(w), 1);
        w.resolve(frame);
      }
    }
  };

  /** The first recorded frame matching `test`, or the next one to arrive. */
  next(test: (f: Frame) => boolean, since = 0): Promise<Frame> {
    const found = this.frames.slice(since).find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => this.#waiters.push({ test, resolve }));
  }

  messages(rid: string): { seq: number; msg: string }[] {
    return this.frames.filter((f) => f.type === 'message' && f.rid === rid).map((f) => f.message as { seq: number; msg: string });
  }
}

let n = 0;
export function newVisitorToken(): string {
  n += 1;
  return `rt-visitor-${process.pid}-${n}-${Math.random().toString(36).slice(2, 10)}`.slice(0, 64);
}

export async function agent(url: string, username: string): Promise<{ client: AgentClient; frames: Recorder; ready: Frame }> {
  const client = new AgentClient({ server: url, socket: nodeSocket, backoff: FAST });
  await client.login(username, 'pw');
  const frames = new Recorder();
  const ready = client.connect();
  client.on(frames.push);
  return { client, frames, ready: await ready };
}

export async function visitor(url: string, name = 'Vera Visitor', department?: string): Promise<{ client: VisitorClient; frames: Recorder; rid: string }> {
  const client = new VisitorClient({ server: url, token: newVisitorToken(), socket: nodeSocket, backoff: FAST });
  await client.register({ name, ...(department !== undefined && { department }) });
  const { room } = await client.openRoom();
  const frames = new Recorder();
  const ready = client.connect();
  client.on(frames.push);
  await ready;
  return { client, frames, rid: room._id };
}

/**
 * A bare `ws` socket that records frames and its close, for what the product's client would never do (stop reading
 * its socket, send garbage, ignore pings with `autoPong: false`). `pauseReading()` stops reading at the TCP level:
 * the server's sends pile up.
 */
export function rawSocket(url: string, path: string, headers: Record<string, string> = {}, options: { autoPong?: boolean } = {}) {
  const ws = new WebSocket(url.replace(/^http/, 'ws') + path, { headers, ...options });
  const frames: Record<string, unknown>[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (data) => {
    frames.push(JSON.parse(data.toString()) as Record<string, unknown>);
    waiters.splice(0).forEach((w) => w());
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const opened = new Promise<void>((resolve, reject) => {
    ws.on('open', () => resolve());
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.on('error', reject);
  });
  const frame = async (n: number) => {
    while (frames.length < n) await new Promise<void>((r) => waiters.push(r));
    return frames[n - 1]!;
  };
  const socket = () => (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
  return { ws, frames, closed, opened, frame, pauseReading: () => socket().pause(), resumeReading: () => socket().resume() };
}
