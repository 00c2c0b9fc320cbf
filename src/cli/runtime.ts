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
 * pretenuring, 380–400 KB without; p99 visitor→agent latency 6.6–30 ms with it, 3.6–4.5 ms without (five runs
 * each); CPU per message at saturation the same either way (70–95 µs).
 *
 * Set at run time rather than on node's command line, so it holds however serve is started (npm start, the bin, a
 * service unit running node directly); V8 reads it at every young collection.
 */
import { setFlagsFromString } from 'node:v8';

export function tuneForServing(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
