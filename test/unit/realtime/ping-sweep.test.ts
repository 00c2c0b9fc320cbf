import { describe, expect, it, vi } from 'vitest';
import { PingSweep, startPingSweep, type Pingable } from '../../../src/realtime/ping-sweep.js';

/** A connection that records what the sweep did to it; `answers` pongs at once. */
class Peer implements Pingable {
  alive = true;
  pingedAt = 0;
  pings: number[] = [];
  terminatedAt: number | undefined;
  readonly ws;

  constructor(
    private readonly clock: { tick: number },
    private readonly set: Set<Pingable>,
    public answers = true,
  ) {
    this.ws = {
      ping: () => {
        this.pings.push(this.clock.tick);
        if (this.answers) this.alive = true;
      },
      terminate: () => {
        this.terminatedAt = this.clock.tick;
        this.set.delete(this); // as the connection's close handler does
      },
    };
  }
}

function setup(count: number, ticksPerInterval: number) {
  const clock = { tick: 0 };
  const set = new Set<Pingable>();
  const peers = Array.from({ length: count }, () => new Peer(clock, set));
  for (const p of peers) set.add(p);
  const sweep = new PingSweep(set, ticksPerInterval);
  const run = (ticks: number) => {
    for (let i = 0; i < ticks; i++) {
      clock.tick += 1;
      sweep.tick();
    }
  };
  return { clock, set, peers, run, add: (answers = true) => { const p = new Peer(clock, set, answers); set.add(p); return p; } };
}

describe('PingSweep', () => {
  it('spreads one round over the interval: a share of the connections per tick, each pinged once', () => {
    const { peers, run } = setup(100, 10);
    const perTick: number[] = [];
    for (let t = 1; t <= 10; t++) {
      const before = peers.reduce((n, p) => n + p.pings.length, 0);
      run(1);
      perTick.push(peers.reduce((n, p) => n + p.pings.length, 0) - before);
    }
    expect(perTick).toEqual(Array(10).fill(10));
    expect(peers.every((p) => p.pings.length === 1)).toBe(true);
  });

  it('pings each connection once per interval, however few there are', () => {
    const { peers, run } = setup(3, 10);
    run(45);
    for (const p of peers) {
      expect(p.pings).toHaveLength(5);
      expect(p.pings.slice(1).map((t, i) => t - (p.pings[i] as number))).toEqual([10, 10, 10, 10]);
    }
  });

  it('terminates a connection that did not answer by its next turn and keeps those that did', () => {
    const { peers, run } = setup(20, 10);
    const silent = peers[7] as Peer;
    silent.answers = false;
    run(10);
    expect(silent.pings).toHaveLength(1);
    run(10);
    expect(silent.terminatedAt).toBe((silent.pings[0] as number) + 10);
    expect(peers.filter((p) => p.terminatedAt !== undefined)).toEqual([silent]);
    run(30);
    expect(peers.filter((p) => p !== silent).every((p) => p.pings.length === 5 && p.terminatedAt === undefined)).toBe(true);
  });

  it('counts any frame as an answer', () => {
    const { peers, run } = setup(1, 10);
    const quiet = peers[0] as Peer;
    quiet.answers = false;
    run(10);
    quiet.alive = true; // a frame arrived
    run(10);
    expect(quiet.terminatedAt).toBeUndefined();
    expect(quiet.pings).toHaveLength(2);
    run(10);
    expect(quiet.terminatedAt).toBe(21);
  });

  it('gives a ping half an interval to be answered when its next turn comes early', () => {
    const { set, peers, run } = setup(10, 10);
    const last = peers[9] as Peer;
    last.answers = false;
    run(10); // last is pinged on the round's last tick
    for (const p of peers.slice(0, 9)) set.delete(p); // everyone before it leaves: its next turn is the round's first tick
    run(1);
    expect(last.terminatedAt).toBeUndefined();
    run(10);
    expect(last.terminatedAt).toBeDefined();
    expect((last.terminatedAt as number) - (last.pings[0] as number)).toBeGreaterThanOrEqual(5);
  });

  it('visits connections that arrive during a round in that round, and skips those that left', () => {
    const { set, peers, run, add } = setup(10, 10);
    run(5);
    const late = add();
    const gone = peers[8] as Peer;
    set.delete(gone);
    run(5);
    expect(late.pings).toHaveLength(1);
    expect(gone.pings).toHaveLength(0);
  });

  it('keeps its rounds on a busy server: connections arriving during a round wait for the next one', () => {
    const { set, peers, run, add } = setup(5, 10);
    const silent = peers[2] as Peer;
    silent.answers = false;
    // A page view every tick, each connection gone five ticks later: a round that took in every arrival would never end.
    const visitors: Peer[] = [];
    for (let t = 0; t < 60; t++) {
      visitors.push(add());
      if (visitors.length > 5) set.delete(visitors.shift() as Peer);
      run(1);
    }
    expect(silent.terminatedAt).toBeDefined();
    for (const p of peers.filter((p) => p !== silent)) expect(p.pings.length).toBeGreaterThanOrEqual(5);
  });

  it('runs on a timer until stopped: a 1 s interval pings every connection once a second', () => {
    vi.useFakeTimers();
    try {
      const { set, peers } = setup(20, 10);
      const heartbeat = startPingSweep(set, 1_000);
      vi.advanceTimersByTime(1_000);
      expect(peers.map((p) => p.pings.length)).toEqual(Array(20).fill(1));
      vi.advanceTimersByTime(1_000);
      expect(peers.map((p) => p.pings.length)).toEqual(Array(20).fill(2));
      heartbeat.stop();
      vi.advanceTimersByTime(5_000);
      expect(peers.map((p) => p.pings.length)).toEqual(Array(20).fill(2));
    } finally {
      vi.useRealTimers();
    }
  });

  it('refuses an interval it cannot keep', () => {
    for (const ms of [0, -1, 5, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => startPingSweep(new Set(), ms)).toThrow(RangeError);
  });
});
