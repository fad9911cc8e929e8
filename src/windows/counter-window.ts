/**
 * Rolling counts of K event kinds (e.g. data-quality issues per feature) and of the records they
 * came from, so that `count[k] / records` is the kind's share of the window's records.
 *
 * - Count windows hold the last N records exactly: a ring of per-record event lists. Most records
 *   have no event, so the ring holds `null` for them and nothing is allocated.
 * - Time windows are a ring of S sub-buckets of D/S seconds, each with its K counts (as
 *   time-window.ts: the window covers between D − D/S and D seconds).
 */

export interface CounterWindow {
  /** One record at event time `t` (seconds) with its events (indices in 0..K-1; may be empty). */
  add(t: number, events: readonly number[]): void;
  /** Drops what fell out of the window as of `now` (seconds); count windows ignore time. */
  advance(now: number): void;
  /** Events per kind in the window (a live view; do not modify). */
  counts(): Float64Array;
  records(): number;
}

export class CountCounterWindow implements CounterWindow {
  private readonly ring: (Uint16Array | null)[];
  private readonly total: Float64Array;
  private head = 0;
  private filled = 0;

  constructor(
    readonly capacity: number,
    kinds: number,
  ) {
    this.ring = new Array<Uint16Array | null>(capacity).fill(null);
    this.total = new Float64Array(kinds);
  }

  add(_t: number, events: readonly number[]): void {
    if (this.filled === this.capacity) {
      const old = this.ring[this.head];
      if (old) for (let i = 0; i < old.length; i++) this.total[old[i]]--;
    } else {
      this.filled++;
    }
    this.ring[this.head] = events.length > 0 ? Uint16Array.from(events) : null;
    for (let i = 0; i < events.length; i++) this.total[events[i]]++;
    this.head = (this.head + 1) % this.capacity;
  }

  advance(): void {}

  counts(): Float64Array {
    return this.total;
  }

  records(): number {
    return this.filled;
  }
}

interface CounterBucket {
  epoch: number;
  records: number;
  counts: Float64Array;
}

export class TimeCounterWindow implements CounterWindow {
  private readonly buckets: CounterBucket[];
  private readonly span: number;
  private readonly total: Float64Array;
  private recordTotal = 0;
  private newestEpoch = -Infinity;

  constructor(
    readonly seconds: number,
    private readonly kinds: number,
    readonly subBuckets = 30,
  ) {
    this.span = seconds / subBuckets;
    this.buckets = Array.from({ length: subBuckets }, () => ({ epoch: -1, records: 0, counts: new Float64Array(kinds) }));
    this.total = new Float64Array(kinds);
  }

  add(t: number, events: readonly number[]): void {
    const epoch = Math.floor(t / this.span);
    if (epoch > this.newestEpoch) this.advanceToEpoch(epoch);
    // Older than the window: it already slid past this record.
    if (epoch <= this.newestEpoch - this.subBuckets) return;
    const b = this.buckets[((epoch % this.subBuckets) + this.subBuckets) % this.subBuckets];
    if (b.epoch !== epoch) this.clear(b, epoch);
    b.records++;
    this.recordTotal++;
    for (let i = 0; i < events.length; i++) {
      b.counts[events[i]]++;
      this.total[events[i]]++;
    }
  }

  advance(now: number): void {
    const epoch = Math.floor(now / this.span);
    if (epoch > this.newestEpoch) this.advanceToEpoch(epoch);
  }

  counts(): Float64Array {
    return this.total;
  }

  records(): number {
    return this.recordTotal;
  }

  private advanceToEpoch(epoch: number): void {
    this.newestEpoch = epoch;
    for (const b of this.buckets) if (b.epoch >= 0 && b.epoch <= epoch - this.subBuckets) this.clear(b, -1);
  }

  private clear(b: CounterBucket, epoch: number): void {
    if (b.epoch >= 0) {
      for (let i = 0; i < this.kinds; i++) this.total[i] -= b.counts[i];
      this.recordTotal -= b.records;
    }
    b.counts.fill(0);
    b.records = 0;
    b.epoch = epoch;
  }
}

/** A count window when the spec has a count, else a time window. */
export function counterWindow(spec: { seconds?: number; count?: number }, kinds: number): CounterWindow {
  return spec.count !== undefined ? new CountCounterWindow(spec.count, kinds) : new TimeCounterWindow(spec.seconds ?? 300, kinds);
}
