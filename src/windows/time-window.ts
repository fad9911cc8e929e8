/**
 * The last D seconds, as a ring of S sub-buckets of D/S seconds each (the window slides by one
 * sub-bucket, so it covers between D − D/S and D seconds). Bin counts are exact; raw values are
 * kept up to a per-sub-bucket cap by reservoir sampling (Algorithm L, ../stats/reservoir.ts: a
 * compare per value, a random draw only for the few taken), so KS and Wasserstein see a uniform
 * sample of each sub-bucket at a fixed memory cost whatever the traffic.
 */
import { Mulberry32 } from '../stats/random.js';
import { replace, reschedule, resetReservoir, type Reservoir } from '../stats/reservoir.js';
import { encodeTyped } from '../core/typed-codec.js';
import { ClosedSubBucketJournal, type ClosedSubBuckets, type SavedSubBucket, type VersionedSubBucket } from './closed-sub-buckets.js';
import { SortedClosedValues } from './sorted-closed-values.js';
import { sortFloat64 } from '../stats/sort.js';
import { keptCopy, restoreSubBucket, savedSubBucket, savedSubBuckets } from './time-window-state.js';
import { TIME, VALUE, windowInput } from './window-input.js';
import { freshValues, MISSING_BIN, type RollingWindow } from './window.js';

/**
 * The newest sub-bucket inline (`open`), the others as a part the checkpoint journals (`closed`,
 * closed-sub-buckets.ts). States saved before held every sub-bucket under `buckets`
 * (time-window-state.ts reads both).
 */
export interface TimeWindowState {
  span: number;
  newestEpoch: number | null;
  open: SavedSubBucket[];
  closed: ClosedSubBuckets;
}

interface SubBucket extends Reservoir, VersionedSubBucket {
  /** Index of the sub-bucket in absolute time (floor(t / span)); −1 when empty. */
  epoch: number;
  counts: Float64Array;
  missing: number;
  /** From the window's `versions`: changed whenever anything but the newest sub-bucket's push path changes it (closed-sub-buckets.ts). */
  version: number;
  /** Its saved form as of `savedVersion` (closed sub-buckets only: kept from one capture to the next). */
  saved: SavedSubBucket | undefined;
  savedVersion: number;
}

/**
 * Sub-buckets whose epoch is at most this have a fast-path interval: below 2^40, floor(t / span) is
 * exact to well within the 1/1024-span margins the interval leaves at each end (see push).
 */
const MAX_FAST_EPOCH = 2 ** 40;
const MARGIN = 1 / 1024;
/** push()es queued before they are applied: 5 kB a window that is pushed one observation at a time. */
export const QUEUED = 256;
/** A window's queue until its first push (shared: nothing is ever stored in them). */
const NOT_QUEUED_TIMES = new Float64Array(0);
const NOT_QUEUED_BINS = new Int32Array(0);

export class TimeWindow implements RollingWindow {
  private readonly buckets: SubBucket[];
  private readonly span: number;
  /** The window's counts, summed from its sub-buckets when read (the tick), not at every push. */
  private readonly total: Float64Array;
  private newestEpoch = -Infinity;
  private lastBucket: SubBucket | undefined;
  /**
   * Times certain to fall in lastBucket: [fastFrom, fastTo), the bucket's span less a 1/1024 margin
   * at each end, so two compares stand for floor(t / span) (a division, ~20 a record) without a
   * rounding of t / span ever giving another epoch. Also while lastBucket is a closed one (late
   * records: a model server that logs a request's start time when it answers, a tick that moved
   * the window on a moment before the last records of a sub-bucket came): its version was raised
   * when it became lastBucket, and a capture closes the interval (snapshot), so the next push into
   * it after a capture raises it again.
   */
  private fastFrom = Infinity;
  private fastTo = -Infinity;
  /** RollingWindow.version (read through the getter, which applies queued pushes first). */
  private changes = 0;
  private readonly random = new Mulberry32(0x5eed);
  /** The sub-buckets' versions come from this one counter: a version is never repeated in the window. */
  private versions = 0;
  private readonly journal: ClosedSubBucketJournal;
  /**
   * The closed sub-buckets' values in sort order, from the second sortedValues() on: a window no
   * tick sorts, or one sorted once (a one-shot run's last tick), keeps none.
   */
  private sorted: SortedClosedValues | undefined;
  private sortedOnce = false;
  /**
   * push()'s observations not applied yet, `queued` of them (the arrays made at the first push()):
   * a caller that pushes one observation at a time (data quality's value windows) has them applied
   * a run at a time, by pushRun, before anything reads the window or pushes another way. Fields of
   * the window, not of a queue object: one load less per array at every push.
   */
  private queueTimes = NOT_QUEUED_TIMES;
  private queueValues = NOT_QUEUED_TIMES;
  private queueBins = NOT_QUEUED_BINS;
  private queued = 0;

  constructor(
    readonly seconds: number,
    private readonly nBins: number,
    maxValues = 10_000,
    readonly subBuckets = 30,
    /** pushInput's time and value ([t, value]): a feature's windows can share one (window-input.ts). */
    private readonly input: Float64Array = windowInput(),
  ) {
    this.span = seconds / subBuckets;
    const perBucket = Math.max(1, Math.ceil(maxValues / subBuckets));
    this.buckets = Array.from({ length: subBuckets }, () => ({
      epoch: -1,
      counts: new Float64Array(nBins),
      missing: 0,
      seen: 0,
      values: new Float64Array(perBucket),
      kept: 0,
      next: 1,
      weight: 0,
      version: 0,
      saved: undefined,
      savedVersion: -1,
    }));
    this.total = new Float64Array(nBins);
    this.journal = new ClosedSubBucketJournal(subBuckets);
  }

  get version(): number {
    this.settle();
    return this.changes;
  }

  /** Queued, applied a run at a time (see `queueTimes`). */
  push(t: number, value: number, bin: number): void {
    let n = this.queued;
    if (n === this.queueTimes.length) n = this.makeQueueRoom();
    this.queueTimes[n] = t;
    this.queueValues[n] = value;
    this.queueBins[n] = bin;
    this.queued = n + 1;
  }

  /** The queue's arrays at the first push, later the full queue applied: the queue is empty (0 queued). */
  private makeQueueRoom(): number {
    if (this.queueTimes.length === 0) {
      this.queueTimes = new Float64Array(QUEUED);
      this.queueValues = new Float64Array(QUEUED);
      this.queueBins = new Int32Array(QUEUED);
    } else this.settle();
    return 0;
  }

  /** Applies the queued pushes. */
  private settle(): void {
    const n = this.queued;
    if (n === 0) return;
    this.queued = 0;
    this.pushRun(this.queueTimes, this.queueValues, this.queueBins, n);
  }

  /** push(input[TIME], input[VALUE], bin): the call passes no double (window-input.ts). */
  pushInput(bin: number): void {
    this.settle();
    const t = this.input[TIME];
    // Nearly every push lands in the newest sub-bucket, the one the last push used. The rest go
    // out of line: push stays small enough for V8 to inline into the feature loop (a call it
    // does not inline boxes t and value, two heap numbers a push).
    const b = t >= this.fastFrom && t < this.fastTo ? this.lastBucket : this.bucketAt(t);
    // Too old for the window: it already slid past this observation.
    if (b === undefined) return;
    this.changes++;
    if (bin === MISSING_BIN) {
      b.missing++;
      return;
    }
    b.counts[bin]++;
    if (++b.seen !== b.next) return;
    // The first values fill the reservoir here rather than in a call: while V8 first optimizes
    // push, every bucket is filling, and a call made on every push then would be inlined into it
    // (with the draws behind it), and push, grown past the inlining budget, left out of the
    // feature loop. Later takes are a few in a thousand values: a call V8 leaves out of line.
    const k = b.values.length;
    if (b.kept < k) {
      b.values[b.kept++] = this.input[VALUE];
      b.next++;
      if (b.kept === k) reschedule(b, this.random);
    } else replace(b, this.input[VALUE], this.random);
  }

  /**
   * push(times[k], values[k], bins[k]) for k < n, in that order: the same draws from the window's
   * one stream, so the same contents as n pushes. One loop with the fast interval and the last
   * sub-bucket in locals (a call per observation, with fields reloaded each time, cost more than
   * the work: docs/performance.md, drift's batches).
   */
  pushBatch(times: Float64Array, values: Float64Array, bins: Int32Array, n: number): void {
    this.settle();
    this.pushRun(times, values, bins, n);
  }

  /**
   * pushBatch for a run already counted: `runCounts` per bin, `runMissing` missing, every time in
   * [range[0], range[1]]. When that range lies in the newest sub-bucket's fast interval (nearly every
   * run: a sub-bucket spans minutes, a run a fraction of a second) and nothing is missing, the run
   * goes in whole: its counts added bin by bin, and of its values only those the reservoir takes
   * read (Algorithm L names them: value number `next`), instead of a step per observation. The
   * same contents and the same draws as pushBatch, which it is otherwise.
   */
  pushCounted(times: Float64Array, values: Float64Array, bins: Int32Array, n: number, range: Float64Array, runCounts: Int32Array, runMissing: number): void {
    this.settle();
    if (runMissing === 0 && range[0] >= this.fastFrom && range[1] < this.fastTo) this.addRun(values, n, runCounts);
    else this.pushRun(times, values, bins, n);
  }

  /** n observations, none missing, into lastBucket (their times all in its fast interval). */
  private addRun(values: Float64Array, n: number, runCounts: Int32Array): void {
    const b = this.lastBucket!;
    const counts = b.counts;
    for (let i = 0; i < counts.length; i++) counts[i] += runCounts[i];
    const before = b.seen;
    const end = before + n;
    const kept = b.values;
    while (b.next <= end) {
      // The value whose number (counted as `seen`) is next: run position next − before − 1.
      const k = b.next - before - 1;
      b.seen = b.next;
      if (b.kept < kept.length) {
        kept[b.kept++] = values[k];
        b.next++;
        if (b.kept === kept.length) reschedule(b, this.random);
      } else replace(b, values[k], this.random);
    }
    b.seen = end;
    this.changes += n;
  }

  private pushRun(times: Float64Array, values: Float64Array, bins: Int32Array, n: number): void {
    const random = this.random;
    let pushed = 0;
    let k = 0;
    while (k < n) {
      const t = times[k];
      const b = t >= this.fastFrom && t < this.fastTo ? this.lastBucket : this.bucketAt(t);
      // Too old for the window: it already slid past this observation.
      if (b === undefined) {
        k++;
        continue;
      }
      // Observation k and those after it in b's fast interval (none when b is not the newest): the
      // sub-bucket's counters in locals, stored back before anything else reads or moves them.
      const from = this.fastFrom;
      const to = this.fastTo;
      const counts = b.counts;
      let seen = b.seen;
      let next = b.next;
      let missing = b.missing;
      const start = k;
      for (;;) {
        const bin = bins[k];
        if (bin === MISSING_BIN) missing++;
        else {
          counts[bin]++;
          if (++seen === next) {
            b.seen = seen;
            const kept = b.values;
            if (b.kept < kept.length) {
              kept[b.kept++] = values[k];
              b.next++;
              if (b.kept === kept.length) reschedule(b, random);
            } else replace(b, values[k], random);
            next = b.next;
          }
        }
        if (++k === n) break;
        const u = times[k];
        if (!(u >= from && u < to)) break;
      }
      b.seen = seen;
      b.missing = missing;
      pushed += k - start;
    }
    this.changes += pushed;
  }

  /** The sub-bucket of time t (undefined: older than the window), made the last one pushed to. */
  private bucketAt(t: number): SubBucket | undefined {
    const epoch = Math.floor(t / this.span);
    const last = this.lastBucket;
    if (last !== undefined && last.epoch === epoch && epoch === this.newestEpoch) return last;
    if (epoch > this.newestEpoch) this.advanceToEpoch(epoch);
    if (epoch <= this.newestEpoch - this.subBuckets) return undefined;
    const b = this.bucketFor(epoch);
    // Whatever is pushed now may land in a closed sub-bucket (a late record): a new version, which
    // stands for every push into it until the next capture (snapshot closes the fast interval). The
    // newest one's pushes take none (it is saved whole at every capture).
    b.version = ++this.versions;
    this.lastBucket = b;
    // (epoch + m)·span rounded, divided by span and rounded again, is within (epoch + 1)·2^−52 of
    // epoch + m: above epoch, and (at the other end) below epoch + 1, while that is under m.
    const fast = epoch >= 0 && epoch < MAX_FAST_EPOCH;
    this.fastFrom = fast ? (epoch + MARGIN) * this.span : Infinity;
    this.fastTo = fast ? (epoch + 1 - MARGIN) * this.span : -Infinity;
    return b;
  }

  advance(now: number): void {
    this.settle();
    const epoch = Math.floor(now / this.span);
    if (epoch > this.newestEpoch) this.advanceToEpoch(epoch);
  }

  counts(): Float64Array {
    this.settle();
    const total = this.total;
    total.fill(0);
    for (const b of this.buckets) {
      if (b.epoch < 0) continue;
      for (let i = 0; i < this.nBins; i++) total[i] += b.counts[i];
    }
    return total;
  }

  size(): number {
    let n = 0;
    const counts = this.counts();
    for (let i = 0; i < this.nBins; i++) n += counts[i];
    return n;
  }

  missing(): number {
    this.settle();
    let n = 0;
    for (const b of this.buckets) if (b.epoch >= 0) n += b.missing;
    return n;
  }

  values(room: (n: number) => Float64Array = freshValues): Float64Array {
    this.settle();
    let n = 0;
    for (const b of this.buckets) if (b.epoch >= 0) n += b.kept;
    const out = room(n);
    let k = 0;
    for (const b of this.buckets) {
      if (b.epoch < 0) continue;
      out.set(b.values.subarray(0, b.kept), k);
      k += b.kept;
    }
    return out;
  }

  /**
   * values() sorted: from the second call on, the closed sub-buckets' kept merged from one call to
   * the next (sorted-closed-values.ts), the open one's sorted and merged with them.
   */
  sortedValues(room: (n: number) => Float64Array = freshValues): Float64Array {
    this.settle();
    if (!this.sortedOnce) {
      this.sortedOnce = true;
      return sortFloat64(this.values(room));
    }
    // A closed lastBucket is merged below at its present version: the next push into it must take a new one.
    this.closeLateInterval();
    const sorted = (this.sorted ??= new SortedClosedValues(this.subBuckets, this.subBuckets * this.buckets[0].values.length));
    const n = sorted.sync(this.buckets, this.newestEpoch);
    const open = Number.isFinite(this.newestEpoch) ? this.buckets[this.slotOf(this.newestEpoch)] : undefined;
    const m = open !== undefined && open.epoch === this.newestEpoch ? open.kept : 0;
    const out = room(n + m);
    const run = out.subarray(n, n + m);
    if (m > 0) run.set(open!.values.subarray(0, m));
    return sorted.mergeInto(sortFloat64(run), out);
  }

  /**
   * A closed lastBucket (late records) loses its fast interval: the next push into it goes through
   * bucketAt and raises its version, so a saved or merged form of it as it is now is known stale.
   */
  private closeLateInterval(): void {
    if (this.lastBucket !== undefined && this.lastBucket.epoch !== this.newestEpoch) {
      this.fastFrom = Infinity;
      this.fastTo = -Infinity;
    }
  }

  private slotOf(epoch: number): number {
    return ((epoch % this.subBuckets) + this.subBuckets) % this.subBuckets;
  }

  private bucketFor(epoch: number): SubBucket {
    const b = this.buckets[this.slotOf(epoch)];
    if (b.epoch !== epoch) this.clear(b, epoch);
    return b;
  }

  private advanceToEpoch(epoch: number): void {
    // The newest sub-bucket, pushed to without versions, is closed from now on.
    const newest = Number.isFinite(this.newestEpoch) ? this.buckets[this.slotOf(this.newestEpoch)] : undefined;
    if (newest !== undefined && newest.epoch === this.newestEpoch) newest.version = ++this.versions;
    this.newestEpoch = epoch;
    // The last bucket is no longer the newest (or is cleared below).
    this.fastFrom = Infinity;
    this.fastTo = -Infinity;
    for (const b of this.buckets) if (b.epoch >= 0 && b.epoch <= epoch - this.subBuckets) this.clear(b, -1);
  }

  private clear(b: SubBucket, epoch: number): void {
    if (b.epoch >= 0) {
      this.changes++;
      this.sorted?.leave(this.slotOf(b.epoch), b);
    }
    b.version = ++this.versions;
    b.counts.fill(0);
    b.missing = 0;
    resetReservoir(b);
    b.epoch = epoch;
  }

  /**
   * The newest sub-bucket copied (in the capture arena); the closed ones' saved forms kept from one
   * capture to the next while their version stands, and journaled (closed-sub-buckets.ts).
   */
  snapshot(): TimeWindowState {
    this.settle();
    // A closed lastBucket is saved below at its present version: the next push into it must take a new one.
    this.closeLateInterval();
    const open: SavedSubBucket[] = [];
    for (const b of this.buckets) {
      if (b.epoch < 0) continue;
      if (b.epoch === this.newestEpoch) open.push(savedSubBucket(b, encodeTyped));
      else if (b.savedVersion !== b.version) {
        b.saved = savedSubBucket(b, keptCopy);
        b.savedVersion = b.version;
      }
    }
    return {
      span: this.span,
      newestEpoch: Number.isFinite(this.newestEpoch) ? this.newestEpoch : null,
      open,
      closed: this.journal.capture(this.buckets, this.newestEpoch),
    };
  }

  /** Replaces the contents with a saved state's (any form: time-window-state.ts); one that does not fit throws before anything changes. */
  restore(state: unknown): void {
    const s = state as { span?: unknown; newestEpoch?: number | null };
    if (s.span !== this.span) throw new Error(`saved state does not fit: sub-bucket span ${String(s.span)} s, now ${this.span} s`);
    const saved = savedSubBuckets(state);
    // Pushes before the restore went into the state it replaces.
    this.settle();
    this.changes++;
    this.sorted?.reset();
    for (const b of this.buckets) this.clear(b, -1);
    this.lastBucket = undefined;
    this.fastFrom = Infinity;
    this.fastTo = -Infinity;
    this.newestEpoch = s.newestEpoch ?? -Infinity;
    for (const one of saved) {
      const b = this.bucketFor(one.epoch);
      restoreSubBucket(b, one, this.nBins, this.random);
      b.version = ++this.versions;
    }
    // The next checkpoint writes the closed sub-buckets whole (a new journal).
    this.journal.reset();
  }
}
