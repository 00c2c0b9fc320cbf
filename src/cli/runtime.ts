/**
 * How the daemon's process runs V8: set by `livechatd serve` before the daemon starts (and by the bench, which
 * starts the daemon as serve does).
 *
 * Allocation-site pretenuring off. During a burst of chat traffic messages queue up, so the objects a message makes
 * on its way (the message, the room's new version, batch ops, frames) are still alive at young collections, and V8
 * decides to allocate them in the old generation from then on. They still die within milliseconds, but in the old
 * generation, where each keeps the young objects it points to alive until a full collection: the old generation
 * fills with garbage and full collections (pauses of 10–45 ms, incremental steps of up to 28 ms) keep coming long
 * after the burst. Measured at 1,000 msg/s after a saturation run: 890 KB promoted per young collection with
 * pretenuring, 380–400 KB without; p99 visitor→agent latency 6.1–27 ms with it (six runs), 3.2–4.5 ms in seven
 * of nine runs without it; CPU per message at saturation the same either way (70–95 µs, paired runs).
 *
 * Set at run time rather than on node's command line, so it holds however serve is started (npm start, the bin, a
 * service unit running node directly). Node warns that flags changed after start may behave unpredictably; this one
 * is only read when a young collection weighs its pretenuring decisions (`--trace-pretenuring-statistics` shows none
 * after the call, as with the flag on the command line). It applies to the whole process, worker threads included.
 */
import { setFlagsFromString } from 'node:v8';

export function tuneForServing(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
