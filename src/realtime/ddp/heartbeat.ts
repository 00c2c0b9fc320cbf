/**
 * DDP-level liveness of one connection. Browsers answer WebSocket ping frames without telling the page, so only a
 * DDP `{"msg":"ping"}` keeps the SDK's own liveness check happy; and only inbound DDP frames tell us the client
 * still reads.
 *
 * Timers follow the client's (spec §2.1): it pings after 20 s without inbound frames and reopens after 40 s of
 * silence. So a quiet pair of peers sees the client's ping first; we ping only after 30 s without anything from
 * the client (a client we keep busy with events never needs to ping us), and drop it 10 s later if still silent.
 */
export interface HeartbeatTimers {
  /** Silence from the client after which we send `ping`. */
  pingAfterMs: number;
  /** Further silence after our ping after which the connection is dropped. */
  timeoutMs: number;
}

export const DDP_HEARTBEAT: HeartbeatTimers = { pingAfterMs: 30_000, timeoutMs: 10_000 };

export class Heartbeat {
  #lastSeen = Date.now();
  #pinged = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly timers: HeartbeatTimers,
    private readonly ping: () => void,
    private readonly dead: () => void,
  ) {
    this.#schedule(timers.pingAfterMs);
  }

  /** Any inbound frame counts. Cheap: it only moves a timestamp; the timer re-arms itself when it fires. */
  seen(): void {
    this.#lastSeen = Date.now();
    this.#pinged = false;
  }

  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #schedule(ms: number): void {
    this.#timer = setTimeout(() => this.#check(), Math.max(0, ms));
    this.#timer.unref();
  }

  #check(): void {
    const silent = Date.now() - this.#lastSeen;
    if (!this.#pinged) {
      if (silent < this.timers.pingAfterMs) return this.#schedule(this.timers.pingAfterMs - silent);
      this.#pinged = true;
      this.ping();
      return this.#schedule(this.timers.timeoutMs);
    }
    // Pinged and nothing since: seen() would have cleared #pinged.
    this.#timer = undefined;
    this.dead();
  }
}
