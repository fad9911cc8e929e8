/**
 * Ascending sort of a Float64Array by LSD radix sort on the IEEE-754 bits (4 passes of 16 bits, or
 * 6 of 11 for fewer than NARROW_BELOW values). Sorting is the bulk of the work for KS and
 * Wasserstein on large windows; the built-in typed-array sort costs ~230 ms per million values
 * here, the radix sort ~40 ms. Input must hold no NaN (callers drop missing values first). Small
 * inputs use the built-in sort.
 *
 * Why two digit widths: a pass also clears and sums its digit table, 65,536 entries at 16 bits. For
 * a window or warm-up column of 10,000 values that is 13× the values themselves (4 passes:
 * 4·(n + 2·65,536) steps against 6·(n + 2·2,048) at 11 bits); the two cost the same near 250,000.
 */

import { KeptScratch } from '../core/kept-scratch.js';

const RADIX_THRESHOLD = 2048;
/** Below this many values, 11-bit digits (see above). */
const NARROW_BELOW = 1 << 18;
/** Per pass: the key word (0 low, 1 high, little-endian), the digit's shift and its mask. */
const WIDE_PASSES = Int32Array.of(0, 0, 0xffff, 0, 16, 0xffff, 1, 0, 0xffff, 1, 16, 0xffff);
const NARROW_PASSES = Int32Array.of(0, 0, 0x7ff, 0, 11, 0x7ff, 0, 22, 0x3ff, 1, 0, 0x7ff, 1, 11, 0x7ff, 1, 22, 0x3ff);
/** Digit table entries per pass: 2^11 (narrow) or 2^16 (wide). */
const NARROW_TABLE = 1 << 11;
const WIDE_TABLE = 1 << 16;
/** Scratch kept between sorts up to this many 32-bit words (1 MiB: windows of 131 072 values); larger sorts allocate their own. */
const MAX_KEPT_SCRATCH_WORDS = 1 << 18;

// Kept between calls, not allocated per sort: a drift tick sorts two windows per numeric feature,
// and a 256 KiB digit table plus a window-sized buffer per sort is garbage that small heap objects
// never prompt the collector to free (measured: +13 MiB resident during one 20-feature tick).
// One table per pass (6 × 2^11 or 4 × 2^16 entries), all counted in the one read that makes the
// keys: a counting read per pass was a third of a 10,000-value sort (330 → 250 µs). The wide
// tables (1 MiB) only once a sort of 2^18 values or more needs them.
const narrowCounts = new Uint32Array(6 * NARROW_TABLE);
let wideCounts: Uint32Array | undefined;
const scratch = new KeptScratch((n) => new Uint32Array(n), MAX_KEPT_SCRATCH_WORDS);

/**
 * Maps each double of `words` (pairs, little-endian) to an unsigned key with the same order (all
 * bits of a negative flipped, the sign of the rest) and counts every pass's digits of the keys: the
 * digit tables, one after the other.
 */
function keysAndCounts(words: Uint32Array, n: number, narrow: boolean): Uint32Array {
  if (narrow) {
    const counts = narrowCounts;
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      let lo = words[2 * i];
      let hi = words[2 * i + 1];
      if (hi & 0x80000000) {
        lo = ~lo >>> 0;
        hi = ~hi >>> 0;
      } else hi = (hi | 0x80000000) >>> 0;
      words[2 * i] = lo;
      words[2 * i + 1] = hi;
      counts[lo & 0x7ff]++;
      counts[NARROW_TABLE + ((lo >>> 11) & 0x7ff)]++;
      counts[2 * NARROW_TABLE + (lo >>> 22)]++;
      counts[3 * NARROW_TABLE + (hi & 0x7ff)]++;
      counts[4 * NARROW_TABLE + ((hi >>> 11) & 0x7ff)]++;
      counts[5 * NARROW_TABLE + (hi >>> 22)]++;
    }
    return counts;
  }
  const counts = (wideCounts ??= new Uint32Array(4 * WIDE_TABLE));
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    let lo = words[2 * i];
    let hi = words[2 * i + 1];
    if (hi & 0x80000000) {
      lo = ~lo >>> 0;
      hi = ~hi >>> 0;
    } else hi = (hi | 0x80000000) >>> 0;
    words[2 * i] = lo;
    words[2 * i + 1] = hi;
    counts[lo & 0xffff]++;
    counts[WIDE_TABLE + (lo >>> 16)]++;
    counts[2 * WIDE_TABLE + (hi & 0xffff)]++;
    counts[3 * WIDE_TABLE + (hi >>> 16)]++;
  }
  return counts;
}

/** Sorted copy of values (the input is left as it is). */
export function sortedFloat64(values: ArrayLike<number>): Float64Array {
  return sortFloat64(Float64Array.from(values));
}

/**
 * Sorts `out` in place and returns it: for an array the caller owns and needs no more in its order
 * (the reference build sorts each warm-up column's finite values in one reused buffer, not a copy).
 */
export function sortFloat64(out: Float64Array): Float64Array {
  const n = out.length;
  if (n < RADIX_THRESHOLD) return out.sort();
  const words = new Uint32Array(out.buffer, out.byteOffset, n * 2);
  const narrow = n < NARROW_BELOW;
  const counts = keysAndCounts(words, n, narrow);
  let source: Uint32Array = words;
  let target: Uint32Array = scratch.room(n * 2);
  const passes = narrow ? NARROW_PASSES : WIDE_PASSES;
  const table = narrow ? NARROW_TABLE : WIDE_TABLE;
  for (let pass = 0, base = 0; pass < passes.length; pass += 3, base += table) {
    const word = passes[pass];
    const shift = passes[pass + 1];
    const mask = passes[pass + 2];
    // A pass where every key shares the digit would copy in place: skip it.
    if (counts[base + ((source[word] >>> shift) & mask)] === n) continue;
    let position = 0;
    for (let d = base; d <= base + mask; d++) {
      const c = counts[d];
      counts[d] = position;
      position += c;
    }
    for (let i = 0; i < n; i++) {
      const lo = source[2 * i];
      const hi = source[2 * i + 1];
      const at = counts[base + (((word === 0 ? lo : hi) >>> shift) & mask)]++;
      target[2 * at] = lo;
      target[2 * at + 1] = hi;
    }
    const sorted = target;
    target = source;
    source = sorted;
  }
  for (let i = 0; i < n; i++) {
    const hi = source[2 * i + 1];
    if (hi & 0x80000000) source[2 * i + 1] = hi & 0x7fffffff;
    else {
      source[2 * i] = ~source[2 * i];
      source[2 * i + 1] = ~hi;
    }
  }
  // An odd number of passes (after skips) ends in the scratch: copy back (the scratch is reused by the next sort).
  if (source !== words) words.set(source);
  return out;
}
