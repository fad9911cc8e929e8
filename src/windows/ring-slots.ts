/**
 * A count window's saved slots (0 … N − 1, the next write at `head`), as drift's CountWindow and
 * data quality's CountValues both save and restore them.
 *
 * Each writes only what it cannot derive: drift's window of a categorical feature keeps no values
 * (its ring was saved as zeros, 80 kB a window), data quality's window has one bin (its bins were
 * saved beside the values they follow from: NaN is a missing value). Checkpoints of both forms restore.
 */
import { decodeFloat64, decodeInt32, type EncodedTyped } from '../core/typed-codec.js';
import { MISSING_BIN } from './window.js';

/** A count window's saved state (drift's CountWindow and data quality's CountValues save the same). */
export interface SavedSlots {
  /** Values by slot; absent: none kept (zeros). */
  ring?: EncodedTyped;
  /** Bins by slot, MISSING_BIN where missing; absent: one bin, missing where the value is NaN. */
  bins?: EncodedTyped;
  head: number;
  filled: number;
}

/**
 * A saved count window decoded for one of `capacity` slots, each filled slot's bin checked to be
 * MISSING_BIN or below `nBins`: a state saved under another config is refused, not half-restored.
 * `ring` is undefined where none was saved.
 */
export function decodeSlots(s: SavedSlots, capacity: number, nBins: number): { ring: Float64Array | undefined; bins: Int32Array; head: number; filled: number } {
  if (s === null || typeof s !== 'object') throw new Error('saved state does not fit: not a count window');
  const ring = s.ring === undefined ? undefined : decodeFloat64(s.ring, capacity);
  if (s.bins === undefined && ring === undefined) throw new Error('saved state does not fit: neither bins nor values');
  const bins = s.bins === undefined ? binsOfValues(ring!) : decodeInt32(s.bins, capacity);
  const head = s.head % capacity;
  const filled = Math.min(s.filled, capacity);
  for (let i = 0; i < filled; i++) {
    const b = bins[i];
    if (b !== MISSING_BIN && !(b >= 0 && b < nBins)) throw new Error(`saved state does not fit: bin ${b} of ${nBins}`);
  }
  return { ring, bins, head, filled };
}

/** A one-bin window's bins from its values: MISSING_BIN where NaN, else bin 0. */
function binsOfValues(ring: Float64Array): Int32Array {
  const bins = new Int32Array(ring.length);
  for (let i = 0; i < ring.length; i++) if (Number.isNaN(ring[i])) bins[i] = MISSING_BIN;
  return bins;
}
