/**
 * The daemon's http.Server with the protocol limits of `server.limits`: a bounded request head (431 beyond it)
 * and a deadline for the whole request, so a client trickling bytes (slowloris) cannot hold a socket forever.
 * WebSocket upgrades share the server and its head limit; their own limits are in realtime/.
 */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ConfigSnapshot } from '../config/index.js';
import { errorBody } from './errors.js';

export function createHttpServer(listener: RequestListener, limits: ConfigSnapshot['server']['limits']): Server {
  const requestTimeout = Math.round(limits.requestTimeoutSeconds * 1000);
  const server = createServer(
    {
      maxHeaderSize: limits.headerBytes,
      requestTimeout,
      // Node's default head deadline is 60 s; it must not exceed the whole-request one.
      headersTimeout: Math.min(60_000, requestTimeout),
    },
    listener,
  );
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => answerClientError(err, socket, limits.headerBytes));
  return server;
}

/**
 * Requests Node refuses before any route sees them (a head over the limit, a request too slow, malformed HTTP)
 * are answered in JSON too, as every other answer: clients parse every body.
 */
function answerClientError(err: NodeJS.ErrnoException, socket: Duplex, headerBytes: number): void {
  if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
  const [status, text, reason] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request Header Fields Too Large', `Request head larger than ${headerBytes} bytes`]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request Timeout', 'The request was not received in time']
        : [400, 'Bad Request', 'Malformed HTTP request'];
  const body = JSON.stringify(errorBody('invalid-params', reason));
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
}
