/**
 * A raw DDP client for the protocol tests: a plain `ws` socket that records every frame the server sends and lets
 * a test wait for "the next frame like this" (bounded), or prove that nothing else arrived by a ping round trip.
 * It sends exactly what the test gives it, frame by frame, the way the Rocket.Chat SDK does.
 */
import { WebSocket } from 'ws';

export type DdpFrame = Record<string, any>;

const WAIT_MS = 5_000;

export class RawDdp {
  readonly frames: DdpFrame[] = [];
  /** Frames not yet consumed by `take()`. */
  #cursor = 0;
  readonly #waiters = new Set<{ test: (f: DdpFrame) => boolean; resolve: (f: DdpFrame) => void }>();
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as DdpFrame;
      this.frames.push(frame);
      for (const w of [...this.#waiters]) {
        if (!w.test(frame)) continue;
        this.#waiters.delete(w);
        w.resolve(frame);
      }
    });
    this.closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  }

  /** Opens `path` on the daemon at `url` (http://…) and waits for the socket to open. */
  static open(url: string, path = '/websocket', headers: Record<string, string> = {}): Promise<RawDdp> {
    const ws = new WebSocket(url.replace(/^http/, 'ws') + path, { headers });
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new RawDdp(ws)));
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
  }

  /** Opens and completes the `connect` handshake. */
  static async connect(url: string, path = '/websocket'): Promise<RawDdp> {
    const ddp = await RawDdp.open(url, path);
    ddp.send({ msg: 'connect', version: '1', support: ['1', 'pre2', 'pre1'] });
    await ddp.take();
    return ddp;
  }

  /** Objects go as JSON text frames, strings as they are, Buffers as binary frames. */
  send(frame: object | string | Buffer): void {
    this.ws.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame));
  }

  /** The next frame in arrival order that no earlier `take()` returned: for replaying a transcript frame by frame. */
  async take(): Promise<DdpFrame> {
    const index = this.#cursor;
    await this.#wait(() => this.frames.length > index, `frame #${index}`);
    this.#cursor = index + 1;
    return this.frames[index]!;
  }

  /** The first frame matching `test` (already received or still to come); does not move the `take()` cursor. */
  next(test: (f: DdpFrame) => boolean, what = 'a matching frame'): Promise<DdpFrame> {
    const found = this.frames.find(test);
    if (found) return Promise.resolve(found);
    return this.#wait(() => false, what, test);
  }

  /**
   * The frames not yet taken that arrived before the answer to a fresh ping; the pong is consumed too. The server
   * answers frames in order and writes event frames when the event is published, so whatever the test already
   * awaited has caused all the frames it ever will: a way to prove that nothing (else) came, without sleeping.
   */
  async settle(): Promise<DdpFrame[]> {
    const from = this.#cursor;
    const before = this.frames.length;
    this.send({ msg: 'ping' });
    await this.#wait(() => this.frames.slice(before).some((f) => f.msg === 'pong'), 'pong');
    const pong = this.frames.findIndex((f, i) => i >= before && f.msg === 'pong');
    this.#cursor = pong + 1;
    return this.frames.slice(from, pong);
  }

  close(): void {
    this.ws.close(1000);
  }

  #wait(done: () => boolean, what: string, test?: (f: DdpFrame) => boolean): Promise<DdpFrame> {
    if (done()) return Promise.resolve(this.frames[this.frames.length - 1]!);
    return new Promise((resolve, reject) => {
      const waiter = {
        test: (f: DdpFrame) => (test ? test(f) : done()),
        resolve: (f: DdpFrame) => {
          clearTimeout(timer);
          resolve(f);
        },
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(`no ${what} within ${WAIT_MS} ms; received: ${JSON.stringify(this.frames)}`));
      }, WAIT_MS);
      this.#waiters.add(waiter);
    });
  }
}

/** The options a Rocket.Chat SDK sub carries: the visitor token twice (spec §2.2). */
export const streamArgs = (token: string) => ({ useCollection: false, args: [{ token, visitorToken: token }] });
