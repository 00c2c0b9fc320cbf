/**
 * Crash loop: the built daemon is killed with SIGKILL at random moments of a chat load and started again on the
 * same data directory, LIVECHAT_CRASH_CYCLES times (default 30). Before every restart's load, and once more at the
 * end, the daemon's state must match the driver's ledger: nothing acknowledged missing, nothing stored twice, no
 * room half-closed, one LivechatSession per closed room (the outbox survives the kills), and the store opens.
 * LIVECHAT_CRASH_SEED replays a run (the seed is in every failure message).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loginAs } from '../helpers/chat.js';
import { spawnDaemon, within, type DaemonProcess } from '../helpers/daemon-process.js';
import { startReceiver } from '../helpers/receiver.js';
import { tempDir } from '../helpers/tmp.js';
import { AGENTS, CrashDriver, seeded } from './crash-driver.js';
import { checkLedger, Ledger, sessionDeliveries } from './crash-ledger.js';

const CYCLES = Number(process.env.LIVECHAT_CRASH_CYCLES ?? 30);
const SEED = Number(process.env.LIVECHAT_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const CONFIG = 'test/fixtures/faults/crash-loop.yaml';
const SECRET = 'crash-loop-webhook-s3cret';

const cleanups: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('crash loop', () => {
  it(`loses nothing acknowledged across ${CYCLES} SIGKILLs under load`, { timeout: 60_000 + CYCLES * 6_000 }, async () => {
    // The receiver fails some attempts and sits on a few (cut by timeoutSeconds), so deliveries are often still in
    // the outbox when the kill comes; 10 attempts make a dead letter (a lost event) practically impossible.
    const flaky = seeded(SEED + 1);
    const receiver = await startReceiver(() => {
      const roll = flaky();
      return roll < 0.05 ? 'hang' : roll < 0.25 ? 503 : 200;
    });
    const dir = await tempDir('livechatd-crash-');
    cleanups.push(dir.remove, () => receiver.close());
    const env = { DATA_DIR: dir.path, RECEIVER_URL: receiver.url, WEBHOOK_SECRET: SECRET };
    const ledger = new Ledger();
    const random = seeded(SEED);
    const driver = new CrashDriver(ledger, random);
    let daemon: DaemonProcess | undefined;
    cleanups.push(async () => daemon?.kill9());

    /** Starts the daemon (the store must open) and checks every invariant against the ledger. */
    const startAndCheck = async (label: string) => {
      daemon = await spawnDaemon(CONFIG, env);
      const agents = await Promise.all(AGENTS.map((name) => loginAs(daemon!.url, name)));
      expect(await checkLedger(daemon.url, ledger, receiver, agents), `${label}, seed ${SEED}`).toEqual([]);
      expect(driver.refusals, `${label}, seed ${SEED}`).toEqual([]);
      return daemon;
    };

    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      const running = await startAndCheck(`after kill ${cycle - 1}`);
      // One cycle in ten is killed before any load: while it resumes webhook deliveries from the outbox.
      const killAfter = random() < 0.1 ? 0 : 1 + Math.floor(random() * 30);
      await driver.cycle(running.url, killAfter, () => void running.kill9());
      expect((await running.exited).signal, `cycle ${cycle}, seed ${SEED}`).toBe('SIGKILL');
    }

    const last = await startAndCheck(`after the last kill`);
    const closed = [...ledger.rooms.values()].filter((room) => ledger.closed(room)).map((room) => room.rid);
    await within(
      receiver.until(() => closed.every((rid) => sessionDeliveries(receiver).has(rid))),
      30_000,
      `a LivechatSession for each of ${closed.length} closed rooms (seed ${SEED})`,
    );
    const agents = await Promise.all(AGENTS.map((name) => loginAs(last.url, name)));
    expect(await checkLedger(last.url, ledger, receiver, agents), `at the end, seed ${SEED}`).toEqual([]);
    const result = await last.stop();
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain(SECRET);

    // The load really ran: acknowledged messages in most cycles, and chats closed along the way.
    const acked = [...ledger.messages.values()].filter((m) => m.outcome === 'acked').length;
    expect(acked, `seed ${SEED}`).toBeGreaterThan(CYCLES);
    expect(closed.length, `seed ${SEED}`).toBeGreaterThan(CYCLES / 3);
    expect(driver.cut, `no kill cut a request short, seed ${SEED}`).toBeGreaterThan(0);
    const redelivered = receiver.requests.length - receiver.delivered().length;
    console.info(
      `crash loop: ${CYCLES} kills, ${ledger.acks} acks, ${driver.cut} requests cut by a kill, ${acked} messages, ` +
        `${ledger.rooms.size} rooms (${closed.length} closed), ${redelivered} webhook attempts failed or cut, seed ${SEED}`,
    );
  });
});
