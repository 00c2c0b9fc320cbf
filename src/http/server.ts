/**
 * The daemon's http.Server with the protocol limits of `server.limits`: a bounded request head (431 beyond it)
 * and a deadline for the whole request, so a client trickling bytes (slowloris) cannot hold a socket forever.
 * WebSocket upgrades share the server and its head limit; their own limits are in realtime/.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { ConfigSnapshot } from '../config/index.js';

export function createHttpServer(listener: RequestListener, limits: ConfigSnapshot['server']['limits']): Server {
  const requestTimeout = Math.round(limits.requestTimeoutSeconds * 1000);
  return createServer(
    {
      maxHeaderSize: limits.headerBytes,
      requestTimeout,
      // Node's default head deadline is 60 s; it must not exceed the whole-request one.
      headersTimeout: Math.min(60_000, requestTimeout),
    },
    listener,
  );
}
