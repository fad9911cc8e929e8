/**
 * The last D seconds, as a ring of S sub-buckets of D/S seconds each (the window slides by one
 * sub-bucket, so it covers between D − D/S and D seconds). Bin counts are exact; raw values are
 * kept up to a per-sub-bucket cap by reservoir sampling, so KS and Wasserstein see a uniform sample
 * of the window at a fixed memory cost whatever the traffic.
 */
import { Mulberry32 } from '../stats/random.js';
import { decodeFloat64, encodeTyped, type EncodedTyped } from '../core/typed-codec.js';
import { MISSING_BIN, type RollingWindow } from './window.js';

interface TimeWindowState {
  span: number;
  newestEpoch: number | null;
  buckets: { epoch: number; counts: EncodedTyped; missing: number; seen: number; values: EncodedTyped }[];
}

interface SubBucket {
  /** Index of the sub-bucket in absolute time (floor(t / span)); −1 when empty. */
  epoch: number;
  counts: Float64Array;
  missing: number;
  seen: number;
  values: Float64Array;
  kept: number;
}

export class TimeWindow implements RollingWindow {
  private readonly buckets: SubBucket[];
  private readonly span: number;
  private readonly total: Float64Array;
  private missingTotal = 0;
  private newestEpoch = -Infinity;
  private lastBucket: SubBucket | undefined;
  version = 0;
  private readonly random = new Mulberry32(0x5eed);

  constructor(
    readonly seconds: number,
    private readonly nBins: number,
    maxValues = 10_000,
    readonly subBuckets = 30,
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
    }));
    this.total = new Float64Array(nBins);
  }

  push(t: number, value: number, bin: number): void {
    const epoch = Math.floor(t / this.span);
    let b = this.lastBucket;
    // Nearly every push lands in the newest sub-bucket, the one the last push used.
    if (b === undefined || b.epoch !== epoch || epoch !== this.newestEpoch) {
      if (epoch > this.newestEpoch) this.advanceToEpoch(epoch);
      // Too old for the window: it already slid past this observation.
      if (epoch <= this.newestEpoch - this.subBuckets) return;
      b = this.bucketFor(epoch);
      this.lastBucket = b;
    }
    this.version++;
    if (bin === MISSING_BIN) {
      b.missing++;
      this.missingTotal++;
      return;
    }
    b.counts[bin]++;
    this.total[bin]++;
    b.seen++;
    if (b.kept < b.values.length) {
      b.values[b.kept++] = value;
    } else {
      const j = this.random.below(b.seen);
      if (j < b.values.length) b.values[j] = value;
    }
  }

  advance(now: number): void {
    const epoch = Math.floor(now / this.span);
    if (epoch > this.newestEpoch) this.advanceToEpoch(epoch);
  }

  counts(): Float64Array {
    return this.total;
  }

  size(): number {
    let n = 0;
    for (let i = 0; i < this.nBins; i++) n += this.total[i];
    return n;
  }

  missing(): number {
    return this.missingTotal;
  }

  values(): Float64Array {
    let n = 0;
    for (const b of this.buckets) if (b.epoch >= 0) n += b.kept;
    const out = new Float64Array(n);
    let k = 0;
    for (const b of this.buckets) {
      if (b.epoch < 0) continue;
      out.set(b.values.subarray(0, b.kept), k);
      k += b.kept;
    }
    return out;
  }

  private bucketFor(epoch: number): SubBucket {
    const b = this.buckets[((epoch % this.subBuckets) + this.subBuckets) % this.subBuckets];
    if (b.epoch !== epoch) this.clear(b, epoch);
    return b;
  }

  private advanceToEpoch(epoch: number): void {
    this.newestEpoch = epoch;
    for (const b of this.buckets) if (b.epoch >= 0 && b.epoch <= epoch - this.subBuckets) this.clear(b, -1);
  }

  private clear(b: SubBucket, epoch: number): void {
    if (b.epoch >= 0) {
      this.version++;
      for (let i = 0; i < this.nBins; i++) this.total[i] -= b.counts[i];
      this.missingTotal -= b.missing;
    }
    b.counts.fill(0);
    b.missing = 0;
    b.seen = 0;
    b.kept = 0;
    b.epoch = epoch;
  }

  snapshot(): TimeWindowState {
    return {
      span: this.span,
      newestEpoch: Number.isFinite(this.newestEpoch) ? this.newestEpoch : null,
      buckets: this.buckets
        .filter((b) => b.epoch >= 0)
        .map((b) => ({ epoch: b.epoch, counts: encodeTyped(b.counts), missing: b.missing, seen: b.seen, values: encodeTyped(b.values.subarray(0, b.kept)) })),
    };
  }

  restore(state: unknown): void {
    const s = state as TimeWindowState;
    if (s.span !== this.span) throw new Error(`saved state does not fit: sub-bucket span ${s.span} s, now ${this.span} s`);
    this.version++;
    for (const b of this.buckets) this.clear(b, -1);
    this.lastBucket = undefined;
    this.newestEpoch = s.newestEpoch ?? -Infinity;
    for (const saved of s.buckets) {
      const b = this.bucketFor(saved.epoch);
      b.counts.set(decodeFloat64(saved.counts, this.nBins));
      const values = decodeFloat64(saved.values);
      if (values.length > b.values.length) throw new Error('saved state does not fit: more values than the window keeps');
      b.values.set(values);
      b.kept = values.length;
      b.missing = saved.missing;
      b.seen = saved.seen;
      for (let i = 0; i < this.nBins; i++) this.total[i] += b.counts[i];
      this.missingTotal += b.missing;
    }
  }
}
