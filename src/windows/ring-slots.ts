/**
 * A count window's saved slots (0 … N − 1, the next write at `head`), as drift's CountWindow and
 * data quality's CountValues both save and restore them.
 *
 * Each writes only what it cannot derive: drift's window of a categorical feature keeps no values
 * (its ring was saved as zeros, 80 kB a window), data quality's window has one bin (its bins were
 * saved beside the values they follow from: NaN is a missing value). Checkpoints of both forms restore.
 *
 * Bins that fit a byte (drift's default 10 numeric bins, 2·50 + 1 category bins) are saved as the
 * bytes the window keeps (`binBytes`, 255 where missing), their values as `values`: a quarter of the
 * Int32 bins' bytes (30 kB less a window of 10,000, every write; issue 16). Neither key is one an
 * older version reads: it finds neither `ring` nor `bins`, refuses the window and starts it empty (it
 * says so in its log), where `ring` without `bins` would have read as one bin (every value in bin 0).
 */
import { decodeFloat64, decodeInt32, decodeUint8, type EncodedTyped } from '../core/typed-codec.js';
import { MISSING_BIN } from './window.js';

/** A count window's saved state (drift's CountWindow and data quality's CountValues save the same). */
export interface SavedSlots {
  /** Values by slot, beside Int32 `bins` or none (one bin); absent with `values` or none kept (zeros). */
  ring?: EncodedTyped;
  /** Bins by slot, MISSING_BIN where missing; absent: `binBytes`, or one bin, missing where the value is NaN. */
  bins?: EncodedTyped;
  /** Values by slot beside `binBytes` (absent: none kept, zeros). */
  values?: EncodedTyped;
  /** Bins by slot as bytes, 255 where missing. */
  binBytes?: EncodedTyped;
  /** Data quality's ring as what it holds beyond drift's window of the same size (ring-against.ts); no `ring`. */
  againstDrift?: SavedExtras;
  head: number;
  filled: number;
}

/** RingExtras as saved. */
export interface SavedExtras {
  slots: EncodedTyped;
  values: EncodedTyped;
  taken: number;
  check: number;
}

/** The byte a missing observation's bin is saved as in `binBytes` (MISSING_BIN stored into a Uint8Array). */
const MISSING_BYTE = 0xff;

/**
 * A saved count window decoded for one of `capacity` slots, each filled slot's bin checked to be
 * MISSING_BIN or below `nBins`: a state saved under another config is refused, not half-restored.
 * `ring` is undefined where none was saved.
 */
export function decodeSlots(s: SavedSlots, capacity: number, nBins: number): { ring: Float64Array | undefined; bins: Int32Array; head: number; filled: number } {
  if (s === null || typeof s !== 'object') throw new Error('saved state does not fit: not a count window');
  const saved = s.ring ?? s.values;
  const ring = saved === undefined ? undefined : decodeFloat64(saved, capacity);
  const bins = s.bins !== undefined ? decodeInt32(s.bins, capacity) : s.binBytes !== undefined ? binsOfBytes(decodeUint8(s.binBytes, capacity)) : s.ring !== undefined ? binsOfValues(ring!) : undefined;
  if (bins === undefined) throw new Error('saved state does not fit: neither bins nor values');
  const head = s.head % capacity;
  const filled = Math.min(s.filled, capacity);
  for (let i = 0; i < filled; i++) {
    const b = bins[i];
    if (b !== MISSING_BIN && !(b >= 0 && b < nBins)) throw new Error(`saved state does not fit: bin ${b} of ${nBins}`);
  }
  return { ring, bins, head, filled };
}

/** Bins saved a byte a slot, as Int32: MISSING_BIN where 255. */
function binsOfBytes(bytes: Uint8Array): Int32Array {
  const bins = new Int32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) bins[i] = bytes[i] === MISSING_BYTE ? MISSING_BIN : bytes[i];
  return bins;
}

/** A one-bin window's bins from its values: MISSING_BIN where NaN, else bin 0. */
function binsOfValues(ring: Float64Array): Int32Array {
  const bins = new Int32Array(ring.length);
  for (let i = 0; i < ring.length; i++) if (Number.isNaN(ring[i])) bins[i] = MISSING_BIN;
  return bins;
}
