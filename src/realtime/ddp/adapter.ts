/**
 * The DDP endpoint: accepts upgraded sockets from the realtime server and feeds them the same domain events the
 * native /ws/visitor channel gets, straight from the bus (no second source of truth, and hub.ts stays as it is).
 * What it keeps is only who listens: an index of the rooms each connection subscribed to.
 */
import type { WebSocket } from 'ws';
import type { DomainEvent } from '../../domain/events.js';
import type { EventBus } from '../../domain/ports/bus.js';
import type { LiveServices } from '../../services/api.js';
import type { Logger } from '../../telemetry/logger.js';
import type { FrameGate } from '../admission.js';
import { CLOSE } from '../close-codes.js';
import type { ConnectionLimits } from '../connection.js';
import { changesFor, movesQueue } from './changes.js';
import { DDP_HEARTBEAT, type HeartbeatTimers } from './heartbeat.js';
import { changed } from './server-frames.js';
import { DdpSession } from './session.js';

/** Where the Rocket.Chat SDK opens its socket: `${SERVER_URL}/websocket` (the server also folds `//websocket`). */
export const DDP_PATH = '/websocket';

export interface DdpOptions {
  live: LiveServices;
  bus: EventBus;
  logger: Logger;
  limits: ConnectionLimits;
  heartbeat?: Partial<HeartbeatTimers>;
}

export interface DdpAdapter {
  accept(ws: WebSocket, admit: FrameGate): void;
  /** Stops listening to the bus, closes every DDP connection with 1001 and resolves when they are gone. */
  close(): Promise<void>;
}

export function createDdpAdapter(options: DdpOptions): DdpAdapter {
  const { live, bus, logger, limits } = options;
  const heartbeat = { ...DDP_HEARTBEAT, ...options.heartbeat };
  const sessions = new Set<DdpSession>();
  const watchers = new Map<string, Set<DdpSession>>();

  const deps = {
    live,
    logger,
    limits,
    heartbeat,
    watch(rid: string, session: DdpSession) {
      const set = watchers.get(rid) ?? new Set();
      set.add(session);
      watchers.set(rid, set);
    },
    unwatch(rid: string, session: DdpSession) {
      const set = watchers.get(rid);
      set?.delete(session);
      if (set?.size === 0) watchers.delete(rid);
    },
    closed: (session: DdpSession) => sessions.delete(session),
  };

  function route(event: DomainEvent): void {
    if (watchers.size === 0) return; // no DDP subscriber at all: nothing to convert
    for (const change of changesFor(event, live, watchers.keys())) {
      const audience = watchers.get(change.rid);
      if (!audience) continue;
      const text = JSON.stringify(changed(change.collection, change.eventName, change.args));
      for (const session of audience) session.deliver(change, text);
    }
    if (movesQueue(event)) {
      for (const [rid, audience] of watchers) {
        const spot = live.queuePosition(rid);
        for (const session of audience) session.queueSpot(rid, spot);
      }
    }
  }

  const unsubscribe = bus.subscribe(route);

  return {
    accept(ws, admit) {
      sessions.add(new DdpSession(ws, deps, admit));
    },
    async close() {
      unsubscribe();
      const closed = [...sessions].map(
        (session) =>
          new Promise<void>((done) => {
            session.ws.once('close', () => done());
            session.close(CLOSE.goingAway, 'server shutting down');
            setTimeout(() => session.ws.terminate(), 1_000).unref();
          }),
      );
      await Promise.all(closed);
    },
  };
}
