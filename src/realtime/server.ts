/**
 * The realtime endpoints on the daemon's own http.Server: `/ws/visitor`, `/ws/agent`, and `/websocket` (the DDP
 * subset the Rocket.Chat Livechat widget speaks, see ddp/). The only module tree that imports ws. Upgrades are
 * checked (path, Origin) before the handshake completes; everything else happens over the socket: first frame
 * `auth` (DDP: `connect`), then channel frames validated against schemas/ws.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { ConfigSnapshot } from '../config/index.js';
import type { EventBus } from '../domain/ports/bus.js';
import type { ChatServices } from '../services/api.js';
import type { Logger } from '../telemetry/logger.js';
import { Admission } from './admission.js';
import { openAgentSession } from './agent-session.js';
import { CLOSE } from './close-codes.js';
import { Connection, DEFAULT_LIMITS, type ConnectionHost, type ConnectionLimits } from './connection.js';
import { createDdpAdapter, DDP_PATH } from './ddp/adapter.js';
import type { HeartbeatTimers } from './ddp/heartbeat.js';
import type { Channel } from './frames.js';
import { Hub } from './hub.js';
import { startPingSweep } from './ping-sweep.js';
import { openVisitorSession } from './visitor-session.js';

export interface RealtimeOptions {
  server: Server;
  services: ChatServices;
  bus: EventBus;
  config: () => ConfigSnapshot;
  logger: Logger;
  limits?: Partial<ConnectionLimits>;
  /** How often the server pings each connection (spread over the interval, at least 10 ms; see ping-sweep.ts). */
  heartbeatMs?: number;
  /** DDP-level heartbeat of /websocket (tests shorten it). */
  ddpHeartbeat?: Partial<HeartbeatTimers>;
}

export interface Realtime {
  /** Closes every connection with 1001 and stops accepting upgrades. */
  close(): Promise<void>;
}

const PATHS: Record<string, Channel> = { '/ws/visitor': 'visitor', '/ws/agent': 'agent' };

export function attachRealtime(options: RealtimeOptions): Realtime {
  const { server, services, bus, config, logger } = options;
  const limits = { ...DEFAULT_LIMITS, ...options.limits };
  // A frame carries at most one message plus JSON overhead; anything bigger is refused by ws with 1009.
  const maxPayload = Math.max(16 * 1024, config().livechat.messageMaxLength * 6 + 4096);
  // Connections are tracked here (`connections`), not by ws as well (clientTracking: a closure and a Set entry more
  // per socket).
  const wss = new WebSocketServer({ noServer: true, maxPayload, perMessageDeflate: false, clientTracking: false });
  const hub = new Hub(services, bus);
  const ddp = createDdpAdapter({ live: services.live, bus, logger, limits, ...(options.ddpHeartbeat && { heartbeat: options.ddpHeartbeat }) });
  const connections = new Set<Connection>();
  const admission = new Admission(config, services.limits);

  // One host for every connection: what a connection needs from the server, without a closure per connection.
  const host: ConnectionHost = {
    limits,
    logger,
    async authenticate(conn, token) {
      if (conn.channel === 'visitor') await openVisitorSession(conn, token, services, hub);
      else await openAgentSession(conn, token, services, hub);
    },
    admitFrame: (conn) => admission.admitFrame(conn.frameKey),
    closed(conn) {
      connections.delete(conn);
      if (conn.countedIp !== undefined) admission.release(conn.countedIp);
    },
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Slashes are folded: a trailing slash in the widget's SERVER_URL makes it open `//websocket` (RC #18756).
    // Not through `new URL(req.url, base)`: it reads a leading `//websocket` as a host name.
    const path = (req.url ?? '/').replace(/[?#].*$/s, '').replace(/\/{2,}/g, '/');
    const channel = PATHS[path];
    if (!channel && path !== DDP_PATH) return refuse(socket, 404, 'Not Found');
    if (!originAllowed(req.headers.origin, req.headers.host, config().server.allowedOrigins)) return refuse(socket, 403, 'Forbidden');
    const ip = admission.clientIp(req);
    if (!admission.open(ip)) return refuse(socket, 429, 'Too Many Requests', 'Retry-After: 10\r\n');
    // The counted slot is released exactly once: by the WebSocket's close once one owns it, else when the socket
    // closes (a refused or broken handshake). ws calls back synchronously here (there is no verifyClient), so the
    // socket listener is only added for handshakes that failed; `handed` keeps it right were that ever to change.
    let handed = false;
    wss.handleUpgrade(req, socket, head, (ws) => {
      handed = true;
      if (channel) {
        const conn = new Connection(ws, channel, host, admission.frameKey(), ip);
        connections.add(conn);
      } else {
        ws.once('close', () => admission.release(ip));
        ddp.accept(ws, admission.frameGate());
      }
    });
    if (!handed) {
      socket.once('close', () => {
        if (!handed) admission.release(ip);
      });
    }
  };

  const heartbeat = startPingSweep(connections, options.heartbeatMs ?? 30_000);

  server.on('upgrade', onUpgrade);

  return {
    async close() {
      server.off('upgrade', onUpgrade);
      heartbeat.stop();
      hub.stop();
      await ddp.close();
      const closed = [...connections].map((c) => new Promise<void>((done) => {
        c.ws.once('close', () => done());
        c.close(CLOSE.goingAway, 'server shutting down');
        setTimeout(() => c.ws.terminate(), 1_000).unref();
      }));
      await Promise.all(closed);
      // After the sockets: their close handlers start grace timers, which stop() then clears.
      services.live.stop();
      wss.close();
    },
  };
}

/**
 * An empty allow-list admits any origin (the widget may be embedded anywhere). Our own origin is always allowed:
 * the widget app runs in an iframe served by this server. Non-browser clients send no Origin and are let through;
 * the check exists to stop other websites' pages, and browsers always send it.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (allowed.length === 0 || origin === undefined) return true;
  if (allowed.includes(origin)) return true;
  try {
    return new URL(origin).host === host;
  } catch {
    return false;
  }
}

function refuse(socket: Duplex, status: number, text: string, headers = ''): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\n${headers}Content-Length: 0\r\n\r\n`);
}
