/**
 * A TCP proxy on 127.0.0.1 that a test can turn into a black hole: connections stay open on both sides, but no
 * byte moves any more and nobody sends a FIN or RST — what a peer looks like when its Wi-Fi, VPN or NAT entry
 * vanishes. Only a heartbeat can tell such a peer from a quiet one.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface BlackholeProxy {
  /** `http://127.0.0.1:<port>`: point a client here instead of at the daemon. */
  url: string;
  /** Stops forwarding in both directions, closing nothing (and never closing the client's side later). */
  blackhole(): void;
  /** Resolves once the target has closed (or reset) a connection the proxy opened to it. */
  upstreamClosed(): Promise<void>;
  close(): Promise<void>;
}

export async function startBlackholeProxy(target: { host: string; port: number }): Promise<BlackholeProxy> {
  const pairs: { client: Socket; upstream: Socket }[] = [];
  let holed = false;
  let closedUpstreams = 0;
  const waiters: (() => void)[] = [];

  const server: Server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    pairs.push({ client, upstream });
    client.on('error', () => undefined);
    upstream.on('error', () => undefined);
    // Forward by hand (not pipe): after blackhole() whatever either side sends is read and dropped, like packets
    // into a dead link. Reading on (instead of pausing) lets the proxy still notice the target closing its end.
    client.on('data', (chunk) => holed || upstream.write(chunk));
    upstream.on('data', (chunk) => holed || client.write(chunk));
    upstream.on('close', () => {
      closedUpstreams++;
      waiters.splice(0).forEach((w) => w());
      if (!holed) client.destroy();
    });
    client.on('close', () => {
      if (!holed) upstream.destroy();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    blackhole() {
      holed = true;
    },
    upstreamClosed() {
      if (closedUpstreams > 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
    async close() {
      for (const { client, upstream } of pairs) {
        client.destroy();
        upstream.destroy();
      }
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
