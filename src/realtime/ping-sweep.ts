/**
 * The WebSocket heartbeat of `/ws/visitor` and `/ws/agent`: every connection is pinged about once per interval and
 * terminated at a later turn if it has not answered since (a pong, or any frame) — how a peer whose network
 * vanished without a FIN is found.
 *
 * The turns are spread over the interval, a share of the connections per tick, not taken all at once: a round of
 * thousands of pings in one go, and the burst of pongs that comes back, held up every chat on the server for about
 * 10 ms once per interval (p99 visitor→agent latency at 1,000 msg/s with 2,000 connections: 8–13.5 ms with the
 * burst, 4.3–4.5 ms without it).
 *
 * Invariants:
 * - a round visits each connection present when it started once (closed ones are skipped) and ends after as many
 *   visits as there were connections then: it walks a live iterator of the set, where connections that arrive
 *   during the round come last (and fill in for those that closed); without that bound a steady stream of arrivals
 *   would keep a round from ever ending, and the connections at its start from ever being pinged again;
 * - a round starts at most once per interval (`ticksPerInterval` ticks after the previous one started) and ends
 *   within one;
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

/** One pass over the connections: how many of them are still to be visited, and how many per tick. */
interface Round {
  turns: Iterator<Pingable>;
  left: number;
  share: number;
}

export class PingSweep {
  #tick = 0;
  #round: Round | undefined;
  #lastStart = -Infinity;

  constructor(
    private readonly connections: ReadonlySet<Pingable>,
    private readonly ticksPerInterval: number,
  ) {}

  /** Visits the next share of this round's connections, starting the next round once an interval has passed. */
  tick(): void {
    const tick = ++this.#tick;
    this.#round ??= this.#start(tick);
    for (let visits = 0; this.#round !== undefined && visits < this.#round.share; ) {
      const next = this.#round.left > 0 ? this.#round.turns.next() : undefined;
      if (next === undefined || next.done === true) {
        this.#round = this.#start(tick); // the next round may start in this same tick
        continue;
      }
      this.#round.left -= 1;
      visits += 1;
      this.#visit(next.value, tick);
    }
  }

  #start(tick: number): Round | undefined {
    const size = this.connections.size;
    if (size === 0 || tick - this.#lastStart < this.ticksPerInterval) return undefined;
    this.#lastStart = tick;
    return { turns: this.connections.values(), left: size, share: Math.ceil(size / this.ticksPerInterval) };
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

/**
 * Runs a PingSweep over `connections` until `stop()`; the timer does not keep the process alive. The interval is at
 * least 10 ms: ten ticks of at least a millisecond, the finest a timer keeps.
 */
export function startPingSweep(connections: ReadonlySet<Pingable>, intervalMs: number): { stop(): void } {
  if (!(intervalMs >= 10 && Number.isFinite(intervalMs))) throw new RangeError(`heartbeat interval must be at least 10 ms, not ${intervalMs}`);
  const tickMs = Math.min(MAX_TICK_MS, intervalMs / 10);
  const sweep = new PingSweep(connections, Math.round(intervalMs / tickMs));
  const timer = setInterval(() => sweep.tick(), tickMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
