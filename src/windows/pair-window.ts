/**
 * Joined (truth, prediction, score) triples of one quality window, in a ring of typed arrays.
 *
 * Count windows keep the last N pairs exactly. Time windows keep the pairs of the last D seconds
 * by the time they entered (the label's event time), up to `capacity`: pairs arrive in roughly
 * increasing time, so expiry drops from the oldest end, and a window busier than its capacity keeps
 * only its newest pairs (its sample count says so). Quality metrics need every pair of the window
 * (ROC AUC ranks them all), so nothing is binned or sampled; memory is fixed at construction:
 * (4 + segment columns) numbers per pair.
 *
 * Missing values are NaN (no score logged). Segment codes are small integers, −1 for none.
 */
import { decodeFloat64, decodeInt32, encodeTyped, type EncodedTyped } from '../core/typed-codec.js';

/** A window's pairs oldest first, as base64 typed arrays (the crash-safe state snapshot). */
export interface PairWindowState {
  length: number;
  times: EncodedTyped;
  truth: EncodedTyped;
  prediction: EncodedTyped;
  score: EncodedTyped;
  /** One column per segment field; absent: restore with no segment (−1). */
  segments?: EncodedTyped[];
}

export interface PairColumns {
  truth: Float64Array;
  prediction: Float64Array;
  score: Float64Array;
  /** segments[f][i]: code of segment field f for pair i. */
  segments: Int32Array[];
  length: number;
}

export class PairWindow {
  private readonly times: Float64Array;
  private readonly truth: Float64Array;
  private readonly prediction: Float64Array;
  private readonly score: Float64Array;
  private readonly segments: Int32Array[];
  /** Index of the oldest pair. */
  private tail = 0;
  private size = 0;

  constructor(
    readonly capacity: number,
    /** Window length in seconds; undefined for a count window. */
    readonly seconds: number | undefined,
    segmentFields = 0,
  ) {
    this.times = new Float64Array(capacity);
    this.truth = new Float64Array(capacity);
    this.prediction = new Float64Array(capacity);
    this.score = new Float64Array(capacity);
    this.segments = Array.from({ length: segmentFields }, () => new Int32Array(capacity));
  }

  get length(): number {
    return this.size;
  }

  push(t: number, truth: number, prediction: number, score: number, segments?: ArrayLike<number>): void {
    if (this.size === this.capacity) {
      this.tail = (this.tail + 1) % this.capacity;
      this.size--;
    }
    const i = (this.tail + this.size) % this.capacity;
    this.times[i] = t;
    this.truth[i] = truth;
    this.prediction[i] = prediction;
    this.score[i] = score;
    for (let f = 0; f < this.segments.length; f++) this.segments[f][i] = segments?.[f] ?? -1;
    this.size++;
  }

  /** Drops pairs older than `now − seconds` from the oldest end. */
  advance(now: number): void {
    if (this.seconds === undefined) return;
    const cutoff = now - this.seconds;
    while (this.size > 0 && this.times[this.tail] <= cutoff) {
      this.tail = (this.tail + 1) % this.capacity;
      this.size--;
    }
  }

  /** A contiguous copy, oldest first, for the tick's computations. */
  columns(): PairColumns {
    const n = this.size;
    const out: PairColumns = {
      truth: new Float64Array(n),
      prediction: new Float64Array(n),
      score: new Float64Array(n),
      segments: this.segments.map(() => new Int32Array(n)),
      length: n,
    };
    for (let k = 0; k < n; k++) {
      const i = (this.tail + k) % this.capacity;
      out.truth[k] = this.truth[i];
      out.prediction[k] = this.prediction[i];
      out.score[k] = this.score[i];
      for (let f = 0; f < this.segments.length; f++) out.segments[f][k] = this.segments[f][i];
    }
    return out;
  }

  snapshot(): PairWindowState {
    const cols = this.columns();
    const times = new Float64Array(cols.length);
    for (let k = 0; k < cols.length; k++) times[k] = this.times[(this.tail + k) % this.capacity];
    return {
      length: cols.length,
      times: encodeTyped(times),
      truth: encodeTyped(cols.truth),
      prediction: encodeTyped(cols.prediction),
      score: encodeTyped(cols.score),
      segments: cols.segments.map(encodeTyped),
    };
  }

  /**
   * Replaces the contents with saved pairs. A window now smaller than what was saved keeps the
   * newest pairs (as it would have); a different number of segment columns does not fit.
   */
  restore(state: unknown): void {
    const s = state as PairWindowState;
    const n = s?.length;
    if (!Number.isInteger(n) || n < 0) throw new Error(`saved pair window length ${String(n)} is not a count`);
    const segments = s.segments ?? this.segments.map(() => undefined);
    if (segments.length !== this.segments.length) throw new Error(`saved pair window has ${segments.length} segment columns, now ${this.segments.length}`);
    const times = decodeFloat64(s.times, n);
    const truth = decodeFloat64(s.truth, n);
    const prediction = decodeFloat64(s.prediction, n);
    const score = decodeFloat64(s.score, n);
    const codes = segments.map((c) => (c === undefined ? undefined : decodeInt32(c, n)));
    this.tail = 0;
    this.size = 0;
    const row = new Int32Array(this.segments.length);
    for (let k = Math.max(0, n - this.capacity); k < n; k++) {
      for (let f = 0; f < row.length; f++) row[f] = codes[f]?.[k] ?? -1;
      this.push(times[k], truth[k], prediction[k], score[k], row);
    }
  }
}

/** The window for a spec: a count window holds exactly `count` pairs. */
export function pairWindow(spec: { seconds?: number; count?: number }, maxPairs: number, segmentFields = 0): PairWindow {
  return spec.count !== undefined
    ? new PairWindow(spec.count, undefined, segmentFields)
    : new PairWindow(maxPairs, spec.seconds ?? 300, segmentFields);
}
