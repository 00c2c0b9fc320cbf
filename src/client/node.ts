/** Socket factory for Node (the terminal UI, tests, benchmarks); browsers use their built-in WebSocket. */
import { WebSocket } from 'ws';
import type { SocketFactory, SocketLike } from './socket.js';

export const nodeSocket: SocketFactory = (url) => new WebSocket(url) as unknown as SocketLike;
