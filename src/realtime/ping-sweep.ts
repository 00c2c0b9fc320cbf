/**
 * The WebSocket heartbeat of `/ws/visitor` and `/ws/agent`: every connection is pinged about once per interval and
 * terminated at a later turn if it has not answered since (a pong, or any frame) — how a peer whose network
 * vanished without a FIN is found.
 *
 * The turns are spread over the interval, a share of the connections per tick, not taken all at once: a round of
 * thousands of pings in one go, and the burst of pongs that comes back, held up every chat on the server for about
 * 10 ms once per interval (p99 visitor→agent latency at 1,000 msg/s with 2,000 connections: 8–12 ms with the burst,
 * 4.3–4.5 ms without it).
 *
 * Invariants:
 * - a round visits each connection once: it walks a live iterator of the set, so connections added during a round
 *   are visited at its end and closed ones are skipped;
 * - a round starts at most once per interval (`ticksPerInterval` ticks after the previous one started);
 * - a connection is terminated only when at least half an interval has passed since its unanswered ping: its turn
 *   in the next round comes early when connections before it have closed meanwhile.
 */
export interface Pingable {
  /** Heard from since the last ping (set by the connection on a pong or a frame). */
  alive: boolean;
  /** The tick of its last ping (a small integer, kept on the connection: no table per connection here). */
  pingedAt: number;
  readonly ws: { ping(): void; terminate(): void };
}

export class PingSweep {
  #tick = 0;
  #roundStartedAt = -Infinity;
  #turns: Iterator<Pingable> | undefined;

  constructor(
    private readonly connections: ReadonlySet<Pingable>,
    private readonly ticksPerInterval: number,
  ) {}

  /** Visits the next share of this round's connections, starting the next round once an interval has passed. */
  tick(): void {
    const tick = ++this.#tick;
    let share = Math.ceil(this.connections.size / this.ticksPerInterval);
    while (share > 0) {
      if (this.#turns === undefined) {
        if (tick - this.#roundStartedAt < this.ticksPerInterval) return;
        this.#turns = this.connections.values();
        this.#roundStartedAt = tick;
      }
      const next = this.#turns.next();
      if (next.done) {
        this.#turns = undefined; // the next round may start in this same tick
        continue;
      }
      this.#visit(next.value, tick);
      share -= 1;
    }
  }

  #visit(conn: Pingable, tick: number): void {
    if (conn.alive) {
      conn.alive = false;
      conn.pingedAt = tick;
      conn.ws.ping();
    } else if (tick - conn.pingedAt >= this.ticksPerInterval / 2) {
      conn.ws.terminate();
    }
  }
}

/** Ticks of at most 100 ms: a few connections per tick even with tens of thousands of them. */
const MAX_TICK_MS = 100;

/** Runs a PingSweep over `connections` until `stop()`; the timer does not keep the process alive. */
export function startPingSweep(connections: ReadonlySet<Pingable>, intervalMs: number): { stop(): void } {
  const tickMs = Math.min(MAX_TICK_MS, intervalMs / 10);
  const sweep = new PingSweep(connections, Math.max(1, Math.round(intervalMs / tickMs)));
  const timer = setInterval(() => sweep.tick(), tickMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
