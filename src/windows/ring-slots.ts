/**
 * A count window's saved slots (0 … N − 1, the next write at `head`), as drift's CountWindow and
 * data quality's CountValues both save and restore them.
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
