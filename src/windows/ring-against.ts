/**
 * A ring of values saved as what it holds beyond another window's values: data quality's value
 * ring of a numeric feature against drift's count window of the same size (both keep the last N
 * records' values; data quality's also the failed requests' and NaN for a missing value, which
 * drift leaves out). Read both newest first: each ring slot either takes drift's next value (bit
 * for bit) or is an extra, saved with its slot. At 1 % failed requests that is ~100 extras a window
 * of 10,000: ~1.2 kB where the whole ring is 80 kB (107 kB of base64), every checkpoint (issue 16).
 *
 * Restored from drift's window as restored: `taken` and `check` (a hash of the values taken) say
 * whether it holds what the ring was matched against; a window that does not (drift's part did not
 * fit the config, or is gone) refuses the ring rather than making another one.
 */
import { captureFilled } from '../core/capture-arena.js';
import { sameBits } from './window.js';

/** A ring's difference from the values it was matched against. */
export interface RingExtras {
  /** Ring slots whose value is not the other window's next one, newest first. */
  slots: Int32Array;
  /** Their values. */
  values: Float64Array;
  /** The other window's values taken, newest first. */
  taken: number;
  /** FNV-1a over the taken values' bits: that the other window holds the same ones on restore. */
  check: number;
}

const bits = new Float64Array(1);
const words = new Uint32Array(bits.buffer);
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** `hash` with the 64 bits of `v` folded in (a word at a time). */
function fold(hash: number, v: number): number {
  bits[0] = v;
  hash = Math.imul(hash ^ words[0], FNV_PRIME);
  return Math.imul(hash ^ words[1], FNV_PRIME);
}

/**
 * `ring` (`filled` slots, the newest before `head`) against `theirs` (the other window's values,
 * newest first): its extras, or undefined where there are more than `limit` (then save it whole).
 */
export function ringExtras(ring: Float64Array, head: number, filled: number, theirs: Float64Array, limit: number): RingExtras | undefined {
  // In the capture arena during a checkpoint's capture (core/capture-arena.ts): these are saved.
  const slots = captureFilled(Int32Array, limit);
  const values = captureFilled(Float64Array, limit);
  let extras = 0;
  let taken = 0;
  let check = FNV_OFFSET;
  const capacity = ring.length;
  for (let n = 0, s = head; n < filled; n++) {
    if (--s < 0) s = capacity - 1;
    const y = ring[s];
    if (taken < theirs.length && sameBits(theirs[taken], y)) {
      check = fold(check, y);
      taken++;
    } else {
      if (extras === limit) return undefined;
      slots[extras] = s;
      values[extras++] = y;
    }
  }
  return { slots: slots.subarray(0, extras), values: values.subarray(0, extras), taken, check: check >>> 0 };
}

/**
 * The ring ringExtras() was given, from the same `theirs` (newest first) and its extras: slots
 * never filled hold 0. Throws where `theirs` is not what it was matched against.
 */
export function ringFromExtras(capacity: number, head: number, filled: number, theirs: Float64Array, extras: RingExtras): Float64Array {
  const { slots, values } = extras;
  if (slots.length !== values.length) throw new Error(`saved state does not fit: ${slots.length} extra slots for ${values.length} values`);
  if (!Number.isInteger(extras.taken) || extras.taken < 0 || extras.taken > theirs.length) throw new Error(`saved state does not fit: ${extras.taken} values of drift's window taken, it holds ${theirs.length}`);
  const ring = new Float64Array(capacity);
  let next = 0;
  let taken = 0;
  let check = FNV_OFFSET;
  for (let n = 0, s = head; n < filled; n++) {
    if (--s < 0) s = capacity - 1;
    if (next < slots.length && slots[next] === s) {
      ring[s] = values[next++];
    } else {
      if (taken === extras.taken) throw new Error('saved state does not fit: more slots than drift values taken and extras');
      const v = theirs[taken++];
      ring[s] = v;
      check = fold(check, v);
    }
  }
  if (next !== slots.length || taken !== extras.taken) throw new Error(`saved state does not fit: ${next} of ${slots.length} extras and ${taken} of ${extras.taken} drift values placed`);
  if (check >>> 0 !== extras.check) throw new Error("saved state does not fit: drift's window holds other values than the ring was saved against");
  return ring;
}
