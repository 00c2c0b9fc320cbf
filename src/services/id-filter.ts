/**
 * Which message ids the store may hold, answered from memory: "no" is certain, "maybe" is rarely wrong (under
 * 0.5% of ids). Posting checks that a client-chosen id is not already in use; nearly every id is new, and asking
 * LevelDB about each one cost a trip through its thread pool per event-loop turn and an iterator built on the
 * serving thread. With the filter only the ids it cannot rule out are asked about.
 *
 * A Bloom filter that grows: layers of doubling capacity (a power of two), 16 bits and 7 hashes per id of a
 * layer's capacity, about 0.07% false "maybe"s per full layer. Memory is 2 bytes per id a layer can hold, so 2–4
 * per stored message while the newest layer fills: a million ids take about 5 MB, with under 0.5% false "maybe"s
 * (measured). Written here rather than taken from npm: the maintained implementations hash through 64-bit integer
 * objects, several allocations per check on the message path.
 *
 * Invariant: once `ready`, every id the store holds was added (the start-up scan adds what was stored before it
 * began, `add` everything appended since the daemon started), so `mightContain` never says "no" wrongly. Until
 * then it says "maybe" to everything. Deleted ids stay in: a false "maybe" only costs a store read.
 */
const BITS_PER_ID = 16;
const HASHES = 7;
const FIRST_CAPACITY = 1 << 16;
/** Layers stop doubling here (32 MB each), so bit indexes stay within 31 bits. */
const MAX_CAPACITY = 1 << 24;

interface Layer {
  bits: Uint32Array;
  /** Number of bits, a power of two: an index is a hash masked to it. */
  mask: number;
  capacity: number;
  count: number;
}

export class IdFilter {
  readonly #layers: Layer[] = [newLayer(FIRST_CAPACITY)];
  #ready = false;

  /** Called once every id stored before the daemon started has been added. */
  markReady(): void {
    this.#ready = true;
  }

  add(id: string): void {
    let layer = this.#layers[this.#layers.length - 1] as Layer;
    if (layer.count >= layer.capacity) {
      layer = newLayer(Math.min(layer.capacity * 2, MAX_CAPACITY));
      this.#layers.push(layer);
    }
    const [h1, h2] = hashes(id);
    for (let i = 0; i < HASHES; i += 1) {
      const bit = (h1 + Math.imul(i, h2)) & layer.mask;
      layer.bits[bit >>> 5] = (layer.bits[bit >>> 5] as number) | (1 << (bit & 31));
    }
    layer.count += 1;
  }

  mightContain(id: string): boolean {
    if (!this.#ready) return true;
    const [h1, h2] = hashes(id);
    for (const layer of this.#layers) if (holds(layer, h1, h2)) return true;
    return false;
  }
}

function holds(layer: Layer, h1: number, h2: number): boolean {
  for (let i = 0; i < HASHES; i += 1) {
    const bit = (h1 + Math.imul(i, h2)) & layer.mask;
    if (((layer.bits[bit >>> 5] as number) & (1 << (bit & 31))) === 0) return false;
  }
  return true;
}

function newLayer(capacity: number): Layer {
  const bitCount = capacity * BITS_PER_ID;
  return { bits: new Uint32Array(bitCount / 32), mask: bitCount - 1, capacity, count: 0 };
}

const hashPair: [number, number] = [0, 0];

/**
 * Two 32-bit hashes of the id, combined as h1 + i·h2 for the i-th bit (Kirsch and Mitzenmacher): FNV-1a over its
 * UTF-16 code units, then two different avalanche mixes of that (murmur3's finaliser), so the low bits the masks
 * keep are well spread. h2 is odd, so the steps visit distinct bits of a power-of-two table. Returns a shared
 * pair: read it before the next call.
 */
function hashes(id: string): [number, number] {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i += 1) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  hashPair[0] = mix(h);
  hashPair[1] = mix(h ^ 0x9e3779b9) | 1;
  return hashPair;
}

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
