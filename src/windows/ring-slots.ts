/**
 * Between a count window's slots (0 … N − 1, the next write at `head`, as its saved state lays
 * them out) and a SharedValueRing's values, which go by age (1: the newest).
 */
import { decodeFloat64, decodeInt32, type EncodedTyped } from '../core/typed-codec.js';
import { MISSING_BIN } from './window.js';

/** A count window's saved state (drift's CountWindow and data quality's CountValues save the same). */
export interface SavedSlots {
  ring: EncodedTyped;
  bins: EncodedTyped;
  head: number;
  filled: number;
}

/**
 * A saved count window decoded for one of `capacity` slots, each filled slot's bin checked to be
 * MISSING_BIN or below `nBins`: a state saved under another config is refused, not half-restored.
 */
export function decodeSlots(s: SavedSlots, capacity: number, nBins: number): { ring: Float64Array; bins: Int32Array; head: number; filled: number } {
  const ring = decodeFloat64(s.ring, capacity);
  const bins = decodeInt32(s.bins, capacity);
  const head = s.head % capacity;
  const filled = Math.min(s.filled, capacity);
  for (let i = 0; i < filled; i++) {
    const b = bins[i];
    if (b !== MISSING_BIN && !(b >= 0 && b < nBins)) throw new Error(`saved state does not fit: bin ${b} of ${nBins}`);
  }
  return { ring, bins, head, filled };
}

/** How many records back slot `i` was written (1 … N). */
export function slotAge(i: number, head: number, capacity: number): number {
  const back = head - 1 - i;
  return (back < 0 ? back + capacity : back) + 1;
}

/**
 * A saved window's values newest first (NaN where `missing(i)`). Saved states were written in
 * order from slot 0, so a window not yet full has its head at `filled`; one that does not is
 * refused, as any saved state that does not fit.
 */
export function savedByAge(saved: Float64Array, head: number, filled: number, missing: (i: number) => boolean): Float64Array {
  const capacity = saved.length;
  if (filled < capacity && head !== filled) throw new Error(`saved state does not fit: head ${head} of a window holding ${filled} of ${capacity}`);
  const out = new Float64Array(filled);
  for (let i = 0; i < filled; i++) out[slotAge(i, head, capacity) - 1] = missing(i) ? NaN : saved[i];
  return out;
}
