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
}

/** The window for a spec: a count window holds exactly `count` pairs. */
export function pairWindow(spec: { seconds?: number; count?: number }, maxPairs: number, segmentFields = 0): PairWindow {
  return spec.count !== undefined
    ? new PairWindow(spec.count, undefined, segmentFields)
    : new PairWindow(maxPairs, spec.seconds ?? 300, segmentFields);
}
