/**
 * A uniform sample without replacement of k of the values seen so far (reservoir sampling), by
 * Li's Algorithm L (K.-H. Li, "Reservoir-sampling algorithms of time complexity O(n(1 + log(N/n)))",
 * ACM TOMS 20(4), 1994). The classic Algorithm R draws a random number for every value past the
 * first k; L draws the number of values to pass over before the next one is taken, so a stream of
 * n values costs O(k (1 + log(n/k))) draws and, per value, one compare. Same law: after every value
 * the reservoir is a uniform k-subset of the values so far.
 *
 * Why it is the same law: give every value an independent uniform key and keep the k smallest keys.
 * `weight` is the largest key kept (W); a later value is taken exactly when its key is below W,
 * which happens after a geometric number of values with success probability W, and its key is then
 * uniform on (0, W), so the new largest kept key is W · U^(1/k), and the value it evicts is a
 * uniform one of the k. The k-subset kept is independent of W given the count seen (exchangeability),
 * which is what lets `reschedule` re-derive (next, weight) for a reservoir saved without them.
 */
import type { Mulberry32 } from './random.js';

export interface Reservoir {
  /** Room for k values. */
  readonly values: Float64Array;
  /** Values held (≤ k: fewer only while the first k are coming in). */
  kept: number;
  /** Values offered so far. */
  seen: number;
  /** The value number (counted as `seen`) to be taken next: the caller takes when seen reaches it. */
  next: number;
  /** W: the largest of the kept values' keys (0 while filling). */
  weight: number;
}

/** Empty: the first k values are all taken. */
export function resetReservoir(r: Reservoir): void {
  r.kept = 0;
  r.seen = 0;
  r.next = 1;
  r.weight = 0;
}

/**
 * Takes value number r.seen into a full reservoir (the caller fills the first k itself, and calls
 * reschedule once the k-th is in): it replaces a uniform one of the k.
 */
export function replace(r: Reservoir, value: number, random: Mulberry32): void {
  const k = r.values.length;
  r.values[random.below(k)] = value;
  r.weight *= keyFactor(k, random);
  r.next = r.seen + passOver(r.weight, random) + 1;
}

/** Takes value number r.seen, which the caller has counted and found equal to r.next. */
export function take(r: Reservoir, value: number, random: Mulberry32): void {
  const k = r.values.length;
  if (r.kept < k) {
    r.values[r.kept++] = value;
    if (r.kept < k) r.next = r.seen + 1;
    else reschedule(r, random);
    return;
  }
  replace(r, value, random);
}

/**
 * Sets `next` and `weight` for a reservoir holding `kept` of `seen` values as a uniform sample: by
 * running the key chain from the k-th value up to `seen` without touching the values (their law
 * given `seen` does not depend on it). About k · log(seen/k) draws: for a restore, not a push.
 */
export function reschedule(r: Reservoir, random: Mulberry32): void {
  const k = r.values.length;
  if (r.kept < k) {
    r.next = r.seen + 1;
    r.weight = 0;
    return;
  }
  let weight = keyFactor(k, random);
  let next = k + passOver(weight, random) + 1;
  while (next <= r.seen) {
    weight *= keyFactor(k, random);
    next += passOver(weight, random) + 1;
  }
  r.weight = weight;
  r.next = next;
}

/** U^(1/k): the largest of k uniform keys (and the factor by which W shrinks at each take). */
function keyFactor(k: number, random: Mulberry32): number {
  return Math.exp(Math.log(open(random)) / k);
}

/** Values whose key is not below W before one that is: geometric with success probability W. */
function passOver(weight: number, random: Mulberry32): number {
  // log1p: 1 − W rounds to 1 once W is small (a long stream), and log(1) = 0 would divide by zero.
  return Math.floor(Math.log(open(random)) / Math.log1p(-weight));
}

/** Uniform on (0, 1]: a log of it is finite. */
function open(random: Mulberry32): number {
  return 1 - random.next();
}
