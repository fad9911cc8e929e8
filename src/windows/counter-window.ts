/**
 * Rolling counts of K event kinds (e.g. data-quality issues per feature) and of the records they
 * came from, so that `count[k] / records` is the kind's share of the window's records.
 *
 * - Count windows hold the last N records exactly: a ring of per-record event lists. Most records
 *   have no event, so the ring holds `null` for them and nothing is allocated.
 * - Time windows are a ring of S sub-buckets of D/S seconds, each with its K counts (as
 *   time-window.ts: the window covers between D − D/S and D seconds).
 *
 * For the crash-safe state snapshot both save their contents as event kinds; restore() can take a
 * `remap` (saved kind → current kind, −1 to drop) so a changed feature list restores what fits.
 */
import { decodeFloat64, decodeInt32, encodeTyped, type EncodedTyped } from '../core/typed-codec.js';

/** Saved kind → current kind, or −1 when the kind no longer exists. */
export type KindRemap = (savedKind: number) => number;

interface CountState {
  type: 'count';
  /** Per record oldest first: how many events it had. */
  perRecord: EncodedTyped;
  /** The records' event kinds, concatenated. */
  events: EncodedTyped;
}

interface TimeState {
  type: 'time';
  span: number;
  kinds: number;
  newestEpoch: number | null;
  buckets: { epoch: number; records: number; counts: EncodedTyped }[];
}

export interface CounterWindow {
  /** One record at event time `t` (seconds) with its events (indices in 0..K-1; may be empty). */
  add(t: number, events: readonly number[]): void;
  /**
   * add() of n records in order: record k at times[k] (count windows ignore it) with the next
   * perRecord[k] kinds of `events` (data quality stages its records' issues and hands a run over).
   */
  addRun(times: Float64Array, perRecord: Uint32Array, events: Uint32Array, n: number): void;
  /** Drops what fell out of the window as of `now` (seconds); count windows ignore time. */
  advance(now: number): void;
  /** Events per kind in the window (a live view; do not modify). */
  counts(): Float64Array;
  records(): number;
  snapshot(): unknown;
  /** Replaces the contents with saved ones; throws when they do not fit this kind of window. */
  restore(state: unknown, remap?: KindRemap): void;
}

export class CountCounterWindow implements CounterWindow {
  /** Per record in the ring: how many events it had. */
  private readonly perRecord: Uint32Array;
  /**
   * The events of the records in the window, oldest first, as a FIFO ring of kinds: records leave
   * in the order they came, so a record's events are always at the front when it leaves. Grows
   * (doubling) only while the window holds more events than ever before; nothing is allocated per
   * record, where an array per record with events made old-generation garbage of every one.
   */
  private events = new Uint32Array(64);
  private eventHead = 0;
  private eventCount = 0;
  private readonly total: Float64Array;
  private head = 0;
  private filled = 0;

  constructor(
    readonly capacity: number,
    kinds: number,
  ) {
    this.perRecord = new Uint32Array(capacity);
    this.total = new Float64Array(kinds);
  }

  add(_t: number, events: readonly number[]): void {
    this.put(events, 0, events.length);
  }

  addRun(_times: Float64Array, perRecord: Uint32Array, events: Uint32Array, n: number): void {
    let from = 0;
    for (let k = 0; k < n; k++) {
      const m = perRecord[k];
      this.put(events, from, m);
      from += m;
    }
  }

  /** A record whose events are events[from, from + n). */
  private put(events: ArrayLike<number>, from: number, n: number): void {
    if (this.filled === this.capacity) {
      // The oldest record leaves: its events are the first perRecord[head] of the event ring.
      const leaving = this.perRecord[this.head];
      const ring = this.events;
      for (let i = 0; i < leaving; i++) {
        this.total[ring[this.eventHead]]--;
        if (++this.eventHead === ring.length) this.eventHead = 0;
      }
      this.eventCount -= leaving;
    } else {
      this.filled++;
    }
    this.perRecord[this.head] = n;
    if (n > 0) {
      if (this.eventCount + n > this.events.length) this.growEvents(this.eventCount + n);
      const ring = this.events;
      let at = this.eventHead + this.eventCount;
      if (at >= ring.length) at -= ring.length;
      for (let i = from; i < from + n; i++) {
        ring[at] = events[i];
        this.total[events[i]]++;
        if (++at === ring.length) at = 0;
      }
      this.eventCount += n;
    }
    if (++this.head === this.capacity) this.head = 0;
  }

  advance(): void {}

  counts(): Float64Array {
    return this.total;
  }

  records(): number {
    return this.filled;
  }

  /** Bytes held (the memory budget counts them per window). */
  bytes(): number {
    return this.perRecord.byteLength + this.events.byteLength + this.total.byteLength;
  }

  snapshot(): CountState {
    const perRecord = new Int32Array(this.filled);
    const oldest = this.filled === this.capacity ? this.head : 0;
    for (let k = 0; k < this.filled; k++) perRecord[k] = this.perRecord[(oldest + k) % this.capacity];
    const events = new Int32Array(this.eventCount);
    for (let k = 0; k < this.eventCount; k++) events[k] = this.events[(this.eventHead + k) % this.events.length];
    return { type: 'count', perRecord: encodeTyped(perRecord), events: encodeTyped(events) };
  }

  /** A window now shorter than what was saved keeps the newest records, as it would have. */
  restore(state: unknown, remap: KindRemap = (k) => k): void {
    const s = state as CountState;
    if (s?.type !== 'count') throw new Error(`saved issue window is a ${String(s?.type)} window, now a count window`);
    const perRecord = decodeInt32(s.perRecord);
    const events = decodeInt32(s.events);
    let total = 0;
    for (const n of perRecord) total += n;
    if (total !== events.length) throw new Error(`saved issue window lists ${events.length} events for ${total}`);
    const kinds = this.total.length;
    const mapped = Array.from(events, (k) => {
      const to = remap(k);
      if (to >= kinds) throw new Error(`saved issue kind ${k} maps to ${to}, past ${kinds} kinds`);
      return to;
    });
    this.perRecord.fill(0);
    this.total.fill(0);
    this.head = 0;
    this.filled = 0;
    this.eventHead = 0;
    this.eventCount = 0;
    let at = 0;
    const skip = Math.max(0, perRecord.length - this.capacity);
    for (let r = 0; r < perRecord.length; r++) {
      const from = at;
      at += perRecord[r];
      if (r >= skip) this.add(0, mapped.slice(from, at).filter((k) => k >= 0));
    }
  }

  /** A larger event ring holding the same events, oldest at 0. */
  private growEvents(needed: number): void {
    let length = this.events.length * 2;
    while (length < needed) length *= 2;
    const grown = new Uint32Array(length);
    for (let k = 0; k < this.eventCount; k++) grown[k] = this.events[(this.eventHead + k) % this.events.length];
    this.events = grown;
    this.eventHead = 0;
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
  /** The sub-bucket the last add() counted in, and its epoch (NaN once it is cleared): the next add's, nearly always. */
  private lastBucket: CounterBucket | undefined;
  private lastEpoch = NaN;

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
    // Still the last one's sub-bucket: not cleared since (clear() forgets it), so in the window.
    const b = epoch === this.lastEpoch ? this.lastBucket! : this.bucketAt(epoch);
    if (b === undefined) return;
    b.records++;
    this.recordTotal++;
    for (let i = 0; i < events.length; i++) {
      b.counts[events[i]]++;
      this.total[events[i]]++;
    }
  }

  addRun(times: Float64Array, perRecord: Uint32Array, events: Uint32Array, n: number): void {
    const total = this.total;
    let from = 0;
    for (let k = 0; k < n; k++) {
      const m = perRecord[k];
      const epoch = Math.floor(times[k] / this.span);
      const b = epoch === this.lastEpoch ? this.lastBucket! : this.bucketAt(epoch);
      if (b !== undefined) {
        b.records++;
        this.recordTotal++;
        const counts = b.counts;
        for (let i = from; i < from + m; i++) {
          counts[events[i]]++;
          total[events[i]]++;
        }
      }
      from += m;
    }
  }

  /** The sub-bucket of `epoch` (made the last one added to), or undefined when the window already slid past it. */
  private bucketAt(epoch: number): CounterBucket | undefined {
    if (epoch > this.newestEpoch) this.advanceToEpoch(epoch);
    // Older than the window: it already slid past this record.
    if (epoch <= this.newestEpoch - this.subBuckets) return undefined;
    const b = this.buckets[((epoch % this.subBuckets) + this.subBuckets) % this.subBuckets];
    if (b.epoch !== epoch) this.clear(b, epoch);
    this.lastBucket = b;
    this.lastEpoch = epoch;
    return b;
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

  snapshot(): TimeState {
    return {
      type: 'time',
      span: this.span,
      kinds: this.kinds,
      newestEpoch: Number.isFinite(this.newestEpoch) ? this.newestEpoch : null,
      buckets: this.buckets.filter((b) => b.epoch >= 0).map((b) => ({ epoch: b.epoch, records: b.records, counts: encodeTyped(b.counts) })),
    };
  }

  restore(state: unknown, remap: KindRemap = (k) => k): void {
    const s = state as TimeState;
    if (s?.type !== 'time') throw new Error(`saved issue window is a ${String(s?.type)} window, now a time window`);
    if (s.span !== this.span) throw new Error(`saved issue window sub-buckets span ${s.span} s, now ${this.span} s`);
    const to = new Int32Array(s.kinds);
    for (let k = 0; k < s.kinds; k++) {
      to[k] = remap(k);
      if (to[k] >= this.kinds) throw new Error(`saved issue kind ${k} maps to ${to[k]}, past ${this.kinds} kinds`);
    }
    const saved = s.buckets.map((b) => ({ ...b, counts: decodeFloat64(b.counts, s.kinds) }));
    for (const b of this.buckets) this.clear(b, -1);
    this.newestEpoch = s.newestEpoch ?? -Infinity;
    for (const b of saved) {
      if (b.epoch <= this.newestEpoch - this.subBuckets) continue;
      const bucket = this.buckets[((b.epoch % this.subBuckets) + this.subBuckets) % this.subBuckets];
      this.clear(bucket, b.epoch);
      bucket.records = b.records;
      this.recordTotal += b.records;
      for (let k = 0; k < s.kinds; k++) {
        if (to[k] < 0) continue;
        bucket.counts[to[k]] += b.counts[k];
        this.total[to[k]] += b.counts[k];
      }
    }
  }

  private advanceToEpoch(epoch: number): void {
    this.newestEpoch = epoch;
    for (const b of this.buckets) if (b.epoch >= 0 && b.epoch <= epoch - this.subBuckets) this.clear(b, -1);
  }

  private clear(b: CounterBucket, epoch: number): void {
    if (b === this.lastBucket) this.lastEpoch = NaN;
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
