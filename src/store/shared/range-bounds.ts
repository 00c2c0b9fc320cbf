/**
 * `range()` options, checked and reduced to at most one lower and one upper bound. Every given bound applies, so
 * `{ ...roomMessageRange(rid), gt: messageKey(rid, afterSeq) }` means "this room, after afterSeq". LevelDB itself
 * would not do that: given both, it uses gte and ignores gt (lte and lt likewise), so both drivers go through here.
 */
import type { RangeOptions } from '../../domain/ports/store.js';
import { compareKeys } from './key-order.js';
import { checkKey, invalid } from './validate.js';

export interface Bound {
  key: string;
  inclusive: boolean;
}

export interface Bounds {
  lower?: Bound;
  upper?: Bound;
  reverse: boolean;
  /** Maximum number of entries; `Infinity` when unlimited. */
  limit: number;
}

export function checkRange(options: RangeOptions = {}): Bounds {
  const { gt, gte, lt, lte, reverse = false, limit = Infinity } = options;
  if (typeof reverse !== 'boolean') throw invalid('reverse must be a boolean', 'range');
  if (!(limit === Infinity || (Number.isInteger(limit) && limit >= 0))) {
    throw invalid('limit must be a non-negative integer', 'range');
  }
  const lower = tighter(bound(gt, false, 'gt'), bound(gte, true, 'gte'), 1);
  const upper = tighter(bound(lt, false, 'lt'), bound(lte, true, 'lte'), -1);
  return { lower, upper, reverse, limit };
}

function bound(key: string | undefined, inclusive: boolean, name: string): Bound | undefined {
  if (key === undefined) return undefined;
  checkKey(key, `range ${name}`);
  return { key, inclusive };
}

/**
 * Of two bounds on the same side, the one that admits fewer keys. `direction` is 1 for lower bounds (the greater
 * key is tighter) and -1 for upper bounds. On equal keys the exclusive bound is tighter.
 */
function tighter(exclusive: Bound | undefined, inclusive: Bound | undefined, direction: 1 | -1): Bound | undefined {
  if (!exclusive || !inclusive) return exclusive ?? inclusive;
  return compareKeys(inclusive.key, exclusive.key) * direction > 0 ? inclusive : exclusive;
}
