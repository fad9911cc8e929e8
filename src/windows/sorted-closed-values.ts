/**
 * A time window's closed sub-buckets' values, kept merged in the sorts' order (sortFloat64's: −0
 * before +0) from one tick to the next, so that the tick's sorted values are the open sub-bucket's
 * few, sorted, merged with these: one pass, not a sort of the whole window.
 *
 * Why: an hour in, a 1 h window holds 30 sub-buckets of ~334 values and only the newest takes
 * records; every tick sorted all ~10,000 again (~250 µs each, 36 windows at the live bench's config,
 * 4 ticks a minute: docs/performance.md, "Ticks read a time window's kept merge"). Here a closing
 * sub-bucket is merged in once, and an expired one taken out once, each a pass over this array.
 *
 * What is merged is never guessed: each ring slot's epoch and version as merged are kept, and a
 * sub-bucket's version changes whenever anything but the open one's push path changes it (see
 * time-window.ts). A sub-bucket about to be cleared whose epoch and version are still those merged
 * has the values it was merged with, and they are taken out; one changed since (a late record) or
 * anything unexpected makes the whole array be built again from the sub-buckets, one sort.
 */
import { sortFloat64 } from '../stats/sort.js';
import { mergeExcept, sortsBefore } from './window.js';

const NOTHING = new Float64Array(0);

/** What this reads of a window's sub-bucket (time-window.ts's SubBucket). */
export interface SortableSubBucket {
  /** −1: empty. */
  readonly epoch: number;
  readonly version: number;
  readonly values: Float64Array;
  readonly kept: number;
}

/** Runs of one sub-bucket's values sorted here (a sub-bucket holds a few hundred), kept between calls. */
let run = new Float64Array(0);

/** A sub-bucket's kept values sorted, in `run` (valid until the next call). */
function sortedRun(b: SortableSubBucket): Float64Array {
  if (run.length < b.kept) run = new Float64Array(Math.max(b.kept, 2 * run.length));
  const out = run.subarray(0, b.kept);
  out.set(b.values.subarray(0, b.kept));
  return sortFloat64(out);
}

export class SortedClosedValues {
  /** The merged values, `n` of them (grown as the window fills, up to `capacity`). */
  private merged = new Float64Array(0);
  private n = 0;
  /** Per ring slot, the epoch (−1: none) and version merged. */
  private readonly epochs: Float64Array;
  private readonly versions: Float64Array;
  /** False: build again from the sub-buckets at the next call. */
  private valid = false;
  /** Builds from scratch, and sub-buckets merged in or taken out one at a time (tests and benches read them). */
  builds = 0;
  steps = 0;

  constructor(
    slots: number,
    /** The most values the closed sub-buckets can hold. */
    private readonly capacity: number,
  ) {
    this.epochs = new Float64Array(slots).fill(-1);
    this.versions = new Float64Array(slots);
  }

  /** Forgets what is merged (a restore): the next call builds again. */
  reset(): void {
    this.valid = false;
    this.epochs.fill(-1);
  }

  /** Sub-bucket `b` in ring slot `slot` is about to be cleared: its values leave the merge, if they are in it. */
  leave(slot: number, b: SortableSubBucket): void {
    if (this.epochs[slot] < 0) return;
    const intact = this.epochs[slot] === b.epoch && this.versions[slot] === b.version;
    this.epochs[slot] = -1;
    if (!this.valid) return;
    if (!intact || !this.remove(sortedRun(b))) this.valid = false;
  }

  /**
   * Brings the merge up to the sub-buckets as they are now (ring order; `newest` is the open one's
   * epoch, left out); returns how many values are merged.
   */
  sync(buckets: readonly SortableSubBucket[], newest: number): number {
    if (this.valid) {
      for (let i = 0; i < buckets.length && this.valid; i++) {
        const b = buckets[i];
        const closed = b.epoch >= 0 && b.epoch !== newest;
        const e = this.epochs[i];
        if (closed && e === b.epoch && this.versions[i] === b.version) continue;
        // A slot merged under another epoch or version, not cleared through leave(): its old values are gone.
        if (e >= 0) this.valid = false;
        else if (closed) this.add(i, b);
      }
    }
    if (!this.valid) this.build(buckets, newest);
    return this.n;
  }

  /**
   * The merged values (as of sync) merged with `open` (sorted) into `out`, `sync()` + open.length
   * long, where `open` may be out's last values; returns out.
   */
  mergeInto(open: Float64Array, out: Float64Array): Float64Array {
    const merged = this.merged;
    const n = this.n;
    const m = open.length;
    // Forward: the write position (i + j) never passes the open run's unread values (at n + j). The
    // open run is a thirtieth of the merged values: each of its values finds its place by a binary
    // search, and the merged values before it are copied without a compare (a compare per value
    // cost 2× more; a subarray and set per run, 30 values or so, more again).
    let i = 0;
    for (let j = 0; j < m; j++) {
      const v = open[j];
      let lo = i;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sortsBefore(v, merged[mid])) hi = mid;
        else lo = mid + 1;
      }
      for (let k = i; k < lo; k++) out[k + j] = merged[k];
      out[lo + j] = v;
      i = lo;
    }
    for (let k = i; k < n; k++) out[k + m] = merged[k];
    return out;
  }

  private build(buckets: readonly SortableSubBucket[], newest: number): void {
    let n = 0;
    for (const b of buckets) if (b.epoch >= 0 && b.epoch !== newest) n += b.kept;
    this.room(n);
    n = 0;
    this.epochs.fill(-1);
    buckets.forEach((b, i) => {
      if (b.epoch < 0 || b.epoch === newest) return;
      this.merged.set(b.values.subarray(0, b.kept), n);
      n += b.kept;
      this.epochs[i] = b.epoch;
      this.versions[i] = b.version;
    });
    sortFloat64(this.merged.subarray(0, n));
    this.n = n;
    this.valid = true;
    this.builds++;
  }

  /** Merges sub-bucket b (slot i) in: backwards, in place, from the array's end. */
  private add(i: number, b: SortableSubBucket): void {
    const add = sortedRun(b);
    const n = this.n;
    this.room(n + add.length);
    const merged = this.merged;
    let k = n - 1;
    let j = add.length - 1;
    let o = n + add.length - 1;
    while (j >= 0) merged[o--] = k >= 0 && sortsBefore(add[j], merged[k]) ? merged[k--] : add[j--];
    this.n = n + add.length;
    this.epochs[i] = b.epoch;
    this.versions[i] = b.version;
    this.steps++;
  }

  /** Takes `gone` (sorted, each one of the merged values) out, in place; false when one was not found. */
  private remove(gone: Float64Array): boolean {
    const n = this.n;
    this.n = mergeExcept(this.merged.subarray(0, n), gone, NOTHING, this.merged);
    this.steps++;
    return this.n === n - gone.length;
  }

  /** Room for n merged values (the merged ones kept), grown by doubling up to the capacity. */
  private room(n: number): void {
    if (this.merged.length >= n) return;
    const grown = new Float64Array(Math.max(n, Math.min(this.capacity, 2 * this.merged.length)));
    grown.set(this.merged.subarray(0, this.n));
    this.merged = grown;
  }
}
