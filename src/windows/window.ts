/**
 * A rolling window over one feature: exact bin counts for the binned drift methods and raw values
 * (bounded) for KS and Wasserstein. Missing values are counted, never binned. Memory is fixed at
 * construction: typed arrays only, nothing grows with traffic.
 */
export interface RollingWindow {
  /**
   * Changes whenever the contents change (a push, an expiry, a restore): a tick that finds the
   * version it computed from can keep its results (nothing entered or left the window).
   */
  readonly version: number;
  /** `t` event time in seconds; `bin` −1 for a missing value (then `value` is ignored). */
  push(t: number, value: number, bin: number): void;
  /** Drops what fell out of the window as of `now` (seconds). Count windows ignore time. */
  advance(now: number): void;
  /** Non-missing observations per bin. */
  counts(): Float64Array;
  /** Non-missing observations. */
  size(): number;
  missing(): number;
  /**
   * Raw non-missing values (all of them for count windows, a bounded sample for time windows), in
   * an array the caller may sort in place: `room(n)`'s, else a fresh one (value-scratch.ts lends a
   * tick one buffer for every window).
   */
  values(room?: (n: number) => Float64Array): Float64Array;
  /** values() in the sorts' order (sortFloat64's), in `room(n)`'s array as values() would be. */
  sortedValues(room?: (n: number) => Float64Array): Float64Array;
  /** Contents as JSON-safe data, for the crash-safe state snapshot. */
  snapshot(): unknown;
  /** Puts back what snapshot() saved; throws when it does not fit this window's shape. */
  restore(state: unknown): void;
}

export const MISSING_BIN = -1;

/**
 * Whether two window values are the same bits as the sorts order them: equal, and −0 told apart from
 * +0 (a NaN, a missing value in data quality's ring, is never the same as anything).
 */
export function sameBits(x: number, y: number): boolean {
  return x === y && (x !== 0 || 1 / x === 1 / y);
}

/** Whether a comes strictly before b in the sorts' order (the IEEE bits': −0 before +0). */
export function sortsBefore(a: number, b: number): boolean {
  return a < b || (a === b && 1 / a < 1 / b);
}

/** values()' room by default: an array of the caller's own. */
export const freshValues = (n: number): Float64Array => new Float64Array(n);

/**
 * `sorted` without `dropped` (each looked for in it, bit for bit), merged with `added`, all ascending
 * in the sorts' order, into `out` (which may be `sorted`'s own array when nothing is added: it writes
 * no further than it has read); returns the values written, sorted.length − dropped.length +
 * added.length when every dropped value was found. The loops in a function of their own that reads
 * no type feedback after them (see sample-walk.ts's walk).
 */
export function mergeExcept(sorted: Float64Array, dropped: Float64Array, added: Float64Array, out: Float64Array): number {
  const nDropped = dropped.length;
  const nAdded = added.length;
  let j = 0;
  let k = 0;
  let o = 0;
  for (let i = 0; i < sorted.length; i++) {
    const v = sorted[i];
    // Equal values are the same bits here (−0 and +0 told apart): which copy is dropped does not matter.
    if (k < nDropped && sameBits(v, dropped[k])) {
      k++;
      continue;
    }
    while (j < nAdded && sortsBefore(added[j], v)) out[o++] = added[j++];
    out[o++] = v;
  }
  while (j < nAdded) out[o++] = added[j++];
  return o;
}
