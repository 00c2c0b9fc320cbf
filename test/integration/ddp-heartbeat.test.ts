/**
 * The DDP heartbeat, with its timers shortened: the adapter on a real http.Server on 127.0.0.1 with a real
 * socket; the chat services are not involved (a connection that only says `connect` needs none).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { createLocalBus } from '../../src/bus/local.js';
import { DEFAULT_LIMITS } from '../../src/realtime/connection.js';
import { createDdpAdapter, type DdpAdapter } from '../../src/realtime/ddp/adapter.js';
import type { LiveServices } from '../../src/services/api.js';
import { createLogger } from '../../src/telemetry/logger.js';
import { RawDdp } from './ddp-raw-client.js';

describe('DDP /websocket: heartbeat', () => {
  let server: Server;
  let ddp: DdpAdapter;
  let url: string;

  beforeEach(async () => {
    const wss = new WebSocketServer({ noServer: true });
    ddp = createDdpAdapter({
      live: {} as LiveServices,
      bus: createLocalBus(() => undefined),
      logger: createLogger({ level: 'silent' }),
      limits: DEFAULT_LIMITS,
      heartbeat: { pingAfterMs: 150, timeoutMs: 150 },
    });
    server = createServer();
    server.on('upgrade', (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => ddp.accept(ws, async () => true)));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(async () => {
    await ddp.close();
    await new Promise((resolve) => server.close(resolve));
  });

  it('pings a silent client, keeps it while it answers (any frame counts), and drops it when it stops', async () => {
    const client = await RawDdp.connect(url);
    expect(await client.take()).toEqual({ msg: 'ping' });
    client.send({ msg: 'pong' });
    expect(await client.take()).toEqual({ msg: 'ping' }); // still there: pinged again after the next silence
    client.send({ msg: 'ping' }); // not a pong, but a frame all the same
    expect(await client.take()).toEqual({ msg: 'pong' });
    expect(await client.take()).toEqual({ msg: 'ping' });
    // No answer this time: the connection is dropped.
    expect((await client.closed).code).toBe(1006);
  });
});
