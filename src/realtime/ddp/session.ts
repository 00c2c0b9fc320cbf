/**
 * One DDP connection on /websocket: the `connect` handshake, then methods and subscriptions, answered in arrival
 * order. The visitor is anonymous at the DDP level (no `login` is ever sent): methods and subs carry the token in
 * their args, and `livechat:setUpConnection` ties a token to the socket for presence.
 *
 * Invariants shared with the native channels: frames are validated before they are acted on; a client that keeps
 * sending garbage is closed (1008); one that stops reading is cut off (1013) before its buffer grows our memory.
 */
import type { WebSocket } from 'ws';
import { isAppError } from '../../domain/errors.js';
import type { LiveServices } from '../../services/api.js';
import { randomId } from '../../services/ids.js';
import type { Logger } from '../../telemetry/logger.js';
import type { FrameGate } from '../admission.js';
import { CLOSE } from '../close-codes.js';
import type { ConnectionLimits } from '../connection.js';
import { queueData, type Change } from './changes.js';
import { parseClientFrame, type ClientFrame } from './frames.js';
import { Heartbeat, type HeartbeatTimers } from './heartbeat.js';
import { callMethod } from './methods.js';
import * as out from './server-frames.js';
import { authorizeSub, STREAM } from './streams.js';
import { Subscriptions } from './subscriptions.js';

/** The widget holds six at a time (a few more while it re-subscribes); the cap keeps fan-out checks cheap. */
const MAX_SUBS = 32;

export interface SessionDeps {
  live: LiveServices;
  logger: Logger;
  limits: ConnectionLimits;
  heartbeat: HeartbeatTimers;
  /** The adapter's index of which sessions watch which rooms. */
  watch(rid: string, session: DdpSession): void;
  unwatch(rid: string, session: DdpSession): void;
  closed(session: DdpSession): void;
}

export class DdpSession {
  readonly session = randomId();
  #connected = false;
  #token: string | undefined;
  /** ws emitted `close`: the status count must no longer grow (nothing would take it back). */
  #gone = false;
  #invalid = 0;
  #queue: Promise<void> = Promise.resolve();
  /** Last queue spot sent per room, so an unchanged spot is not sent again. */
  readonly #spots = new Map<string, number>();
  readonly #subs: Subscriptions;
  readonly #heartbeat: Heartbeat;

  constructor(
    readonly ws: WebSocket,
    private readonly deps: SessionDeps,
    private readonly admit: FrameGate,
  ) {
    this.#subs = new Subscriptions(
      (rid) => deps.watch(rid, this),
      (rid) => {
        this.#spots.delete(rid);
        deps.unwatch(rid, this);
      },
    );
    this.#heartbeat = new Heartbeat(deps.heartbeat, () => this.sendRaw(out.PING), () => ws.terminate());
    const deadline = setTimeout(() => {
      if (!this.#connected) this.close(CLOSE.authTimeout, 'no connect frame in time');
    }, deps.limits.authTimeoutMs);
    deadline.unref();
    ws.on('message', (data, isBinary) => {
      this.#heartbeat.seen();
      this.#queue = this.#queue
        .then(() => this.#receive(isBinary ? null : data.toString()))
        .catch((err: unknown) => {
          // A bug, never input: close this connection (1011) and keep the process and the chain alive.
          this.deps.logger.error({ err, channel: 'ddp' }, 'frame handling crashed; connection closed');
          this.close(CLOSE.internalError, 'internal error');
        });
    });
    ws.on('close', () => {
      this.#gone = true;
      clearTimeout(deadline);
      this.#heartbeat.stop();
      this.#subs.clear();
      deps.closed(this);
      // The visitor's status follows the socket that called setUpConnection, as on /ws/visitor.
      if (this.#token !== undefined) deps.live.visitorDisconnected(this.#token).catch((err: unknown) => deps.logger.warn({ err }, 'visitor status update failed'));
    });
    ws.on('error', (err) => deps.logger.debug({ err: err.message, channel: 'ddp' }, 'websocket error'));
  }

  /** An event frame, serialised once by the adapter, goes out only if one of this connection's subs wants it. */
  deliver(change: Change, text: string): void {
    if (this.#subs.wants(change.collection, change.eventName)) this.sendRaw(text);
  }

  /** The room's current queue spot (undefined: no longer queued); sent when it changed. */
  queueSpot(rid: string, spot: number | undefined): void {
    if (spot === undefined) return void this.#spots.delete(rid);
    if (this.#spots.get(rid) === spot || !this.#subs.wants(STREAM.livechatRoom, rid)) return;
    this.#spots.set(rid, spot);
    this.#sendChange(queueData(rid, spot));
  }

  send(frame: object): void {
    this.sendRaw(JSON.stringify(frame));
  }

  sendRaw(text: string): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (this.ws.bufferedAmount > this.deps.limits.maxBufferedBytes) {
      this.deps.logger.warn({ channel: 'ddp', buffered: this.ws.bufferedAmount }, 'client not reading; disconnecting');
      this.close(CLOSE.tryAgainLater, 'not reading fast enough; reconnect');
      setTimeout(() => this.ws.terminate(), 1_000).unref(); // the close frame waits behind the unread backlog
      return;
    }
    this.ws.send(text);
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.CLOSED || this.ws.readyState === this.ws.CLOSING) return;
    this.ws.close(code, reason);
  }

  #sendChange(change: Change): void {
    this.send(out.changed(change.collection, change.eventName, change.args));
  }

  async #receive(text: string | null): Promise<void> {
    if (this.ws.readyState !== this.ws.OPEN) return;
    if (!(await this.admit())) return this.close(CLOSE.policyViolation, 'too many frames; slow down');
    const parsed = text === null ? { ok: false as const, reason: 'binary frames are not accepted' } : parseClientFrame(text);
    if (!parsed.ok) {
      if (!this.#countInvalid()) return;
      if (parsed.answer?.msg === 'method') return this.send(out.failure(parsed.answer.id, out.badRequest(parsed.reason)));
      if (parsed.answer?.msg === 'sub') return this.send(out.nosub(parsed.answer.id, out.badRequest(parsed.reason)));
      return this.send(out.error(parsed.reason));
    }
    const frame = parsed.frame;
    if (!this.#connected && frame.msg !== 'connect') {
      if (this.#countInvalid()) this.send(out.error('Must connect first'));
      return;
    }
    try {
      await this.#handle(frame);
    } catch (err) {
      this.deps.logger.error({ err, channel: 'ddp', frame: frame.msg }, 'frame handling failed');
      if (frame.msg === 'method') this.send(out.failure(frame.id, out.meteorError(500, 'Internal server error')));
    }
  }

  async #handle(frame: ClientFrame): Promise<void> {
    switch (frame.msg) {
      case 'connect':
        return this.#connect(frame.version);
      case 'ping':
        return this.sendRaw(out.PONG);
      case 'pong':
        return; // the heartbeat already saw it
      case 'method': {
        const outcome = await callMethod({ live: this.deps.live, bindToken: (token) => this.#bindToken(token) }, frame.method, frame.params ?? []);
        return this.send(outcome.ok ? out.result(frame.id, outcome.value) : out.failure(frame.id, outcome.error));
      }
      case 'sub':
        return this.#subscribe(frame.id, frame.name, frame.params);
      case 'unsub':
        this.#subs.delete(frame.id);
        return this.send(out.nosub(frame.id)); // the SDK ignores nosub; Meteor sends it, so do we
    }
  }

  #connect(version: string): void {
    if (this.#connected) {
      if (this.#countInvalid()) this.send(out.error('Already connected'));
      return;
    }
    if (version !== '1') {
      // Meteor's answer to a version it does not speak; the SDK always asks for "1".
      this.send(out.failed('1'));
      return this.close(CLOSE.normal, 'unsupported DDP version');
    }
    this.#connected = true;
    this.send(out.connected(this.session));
  }

  #subscribe(id: string, name: string, params: unknown): void {
    if (this.#subs.size >= MAX_SUBS && !this.#subs.has(id)) return this.send(out.nosub(id, out.meteorError('too-many-subscriptions', `At most ${MAX_SUBS} subscriptions per connection`)));
    const authorized = authorizeSub(name, params, this.deps.live);
    if (!authorized.ok) {
      this.#subs.delete(id); // a reused id that is now refused stops what it listened to before
      return this.send(out.nosub(id, authorized.error));
    }
    const { key } = authorized;
    this.#subs.set(id, key);
    this.send(out.ready(id));
    if (key.collection !== STREAM.livechatRoom) return;
    // The widget learns a queued room's spot from nowhere else, and registers its queue handler only after that
    // handler's own sub is ready: so every stream-livechat-room ready is followed by the current spot.
    const spot = this.deps.live.queuePosition(key.rid);
    if (spot === undefined) return;
    this.#spots.set(key.rid, spot);
    this.#sendChange(queueData(key.rid, spot));
  }

  async #bindToken(token: string): Promise<void> {
    // A method may run after the socket closed (its frame waited behind the admission check); the close handler
    // has then already run, so counting now would leave the visitor online forever.
    if (this.#token !== undefined || this.#gone) return;
    this.#token = token;
    // An unregistered visitor (the usual case at this point) has no status to set yet; the count still holds,
    // so the close that follows is balanced.
    await this.deps.live.visitorConnected(token).catch((err: unknown) => {
      if (!isAppError(err, 'invalid-token')) this.deps.logger.warn({ err }, 'visitor status update failed');
    });
  }

  /** Counts a bad frame; false (after closing with 1008) once the client is past the limit. */
  #countInvalid(): boolean {
    this.#invalid += 1;
    if (this.#invalid <= this.deps.limits.maxInvalidFrames) return true;
    this.close(CLOSE.policyViolation, 'too many invalid frames');
    return false;
  }
}
