/**
 * ADWIN (ADaptive WINdowing), the ADWIN2 exponential-histogram version.
 * Bifet & Gavaldà, "Learning from time-changing data with adaptive windowing", SDM 2007;
 * parameters and bucket handling as MOA / river (delta 0.002, 5 buckets per row, check every
 * 32 updates once the window holds more than 10 values, sub-windows of at least 5).
 *
 * The window is summarised by rows of buckets: row i holds up to 5 buckets of 2^i values each
 * (sum and variance), so memory is O(5·log₂(W/5)) however long the window. Every 32 updates each
 * boundary between buckets is tried as a cut W = W₀·W₁ (older·newer); if
 *   |μ₀ − μ₁| > ε = √(2·m·σ²_W·δ') + (2/3)·δ'·m,   m = 1/(n₀−4) + 1/(n₁−4),  δ' = ln(2·ln|W| / δ)
 * the oldest bucket is dropped and the cuts are tried again. A drop is a detection; the window
 * keeps the recent part, so ADWIN never needs a full reset after a drift.
 * Unlike river, the newest bucket of every row is also a cut candidate, as in MOA.
 */
import { decodeFloat64, encodeTyped, type EncodedTyped } from '../../core/typed-codec.js';
import {
  DRIFT,
  STABLE,
  requireInRange,
  savedDetector,
  savedNumber,
  type DetectorDescriptor,
  type DetectorSnapshot,
  type DetectorState,
  type DriftDetector,
} from './detector.js';

interface AdwinSnapshot extends DetectorSnapshot {
  width: number;
  total: number;
  variance: number;
  tick: number;
  /** Row i (buckets of 2^i values), oldest bucket first: totals and variances as base64 Float64Array. */
  rows: { totals: EncodedTyped; variances: EncodedTyped }[];
}

export interface AdwinOptions {
  /** Confidence: smaller means fewer false alarms and later detections. */
  delta: number;
}

const MAX_BUCKETS_PER_ROW = 5;
const CHECK_EVERY = 32;
const MIN_WIDTH_TO_CHECK = 10;
const MIN_SUBWINDOW = 5;

export class Adwin implements DriftDetector {
  readonly name = 'adwin';
  state: DetectorState = STABLE;
  detections = 0;
  private readonly delta: number;
  // rowTotals[i][k]: sum of bucket k (0 = oldest) in row i; rows further down are older.
  private rowTotals: Float64Array[] = [];
  private rowVariances: Float64Array[] = [];
  private rowLengths: number[] = [];
  private width = 0;
  private total = 0;
  private variance = 0;
  private tick = 0;

  constructor(options: Partial<AdwinOptions> = {}) {
    this.delta = options.delta ?? adwin.defaults.delta;
    requireInRange('adwin delta', this.delta, Number.MIN_VALUE, 1);
  }

  /** Values currently in the window. */
  get windowWidth(): number {
    return this.width;
  }

  /** Buckets held: the memory in use, O(5·log₂(width/5)). */
  get bucketCount(): number {
    let n = 0;
    for (const length of this.rowLengths) n += length;
    return n;
  }

  /** Mean of the window: the current error-rate estimate. */
  get estimate(): number {
    return this.width === 0 ? 0 : this.total / this.width;
  }

  update(x: number): void {
    this.insert(x);
    this.state = this.detectChange() ? DRIFT : STABLE;
    if (this.state === DRIFT) this.detections++;
  }

  reset(): void {
    this.rowTotals = [];
    this.rowVariances = [];
    this.rowLengths = [];
    this.width = this.total = this.variance = this.tick = 0;
    this.state = STABLE;
    this.detections = 0;
  }

  snapshot(): AdwinSnapshot {
    return {
      name: this.name,
      state: this.state,
      width: this.width,
      total: this.total,
      variance: this.variance,
      tick: this.tick,
      rows: this.rowLengths.map((length, row) => ({
        totals: encodeTyped(this.rowTotals[row].subarray(0, length)),
        variances: encodeTyped(this.rowVariances[row].subarray(0, length)),
      })),
    };
  }

  /** Checks the rows against the saved width (Σ buckets·2^row), so a damaged state is refused whole. */
  restore(saved: unknown): void {
    const s = savedDetector(saved, this.name);
    const width = savedNumber(s, 'width');
    const tick = savedNumber(s, 'tick');
    if (!Array.isArray(s.rows)) throw new Error('saved adwin rows are not an array');
    const totals: Float64Array[] = [];
    const variances: Float64Array[] = [];
    const lengths: number[] = [];
    let values = 0;
    (s.rows as { totals: EncodedTyped; variances: EncodedTyped }[]).forEach((r, row) => {
      const t = decodeFloat64(r.totals);
      if (t.length > MAX_BUCKETS_PER_ROW) throw new Error(`saved adwin row ${row} holds ${t.length} buckets, at most ${MAX_BUCKETS_PER_ROW}`);
      const v = decodeFloat64(r.variances, t.length);
      const rowTotals = new Float64Array(MAX_BUCKETS_PER_ROW + 1);
      const rowVariances = new Float64Array(MAX_BUCKETS_PER_ROW + 1);
      rowTotals.set(t);
      rowVariances.set(v);
      totals.push(rowTotals);
      variances.push(rowVariances);
      lengths.push(t.length);
      values += t.length * 2 ** row;
    });
    if (values !== width || !Number.isInteger(tick) || tick < 0) throw new Error(`saved adwin buckets hold ${values} values, its width says ${width}`);
    const total = savedNumber(s, 'total');
    const variance = savedNumber(s, 'variance');
    this.rowTotals = totals;
    this.rowVariances = variances;
    this.rowLengths = lengths;
    this.width = width;
    this.total = total;
    this.variance = variance;
    this.tick = tick;
    this.state = s.state;
  }

  private insert(x: number): void {
    if (this.width > 0) {
      const d = x - this.total / this.width;
      this.variance += (this.width * d * d) / (this.width + 1);
    }
    this.width++;
    this.total += x;
    this.appendBucket(0, x, 0);
    this.compress();
  }

  private appendBucket(row: number, total: number, variance: number): void {
    if (row === this.rowLengths.length) {
      this.rowTotals.push(new Float64Array(MAX_BUCKETS_PER_ROW + 1));
      this.rowVariances.push(new Float64Array(MAX_BUCKETS_PER_ROW + 1));
      this.rowLengths.push(0);
    }
    const k = this.rowLengths[row]++;
    this.rowTotals[row][k] = total;
    this.rowVariances[row][k] = variance;
  }

  /** A row that overflows merges its two oldest buckets into one bucket of the next row. */
  private compress(): void {
    for (let row = 0; row < this.rowLengths.length; row++) {
      if (this.rowLengths[row] <= MAX_BUCKETS_PER_ROW) return;
      const size = 2 ** row;
      const totals = this.rowTotals[row];
      const variances = this.rowVariances[row];
      const d = totals[0] / size - totals[1] / size;
      this.appendBucket(row + 1, totals[0] + totals[1], variances[0] + variances[1] + (size * d * d) / 2);
      this.shiftOut(row, 2);
    }
  }

  private shiftOut(row: number, count: number): void {
    const totals = this.rowTotals[row];
    const variances = this.rowVariances[row];
    totals.copyWithin(0, count);
    variances.copyWithin(0, count);
    this.rowLengths[row] -= count;
  }

  private detectChange(): boolean {
    this.tick++;
    if (this.tick % CHECK_EVERY !== 0 || this.width <= MIN_WIDTH_TO_CHECK) return false;
    let detected = false;
    while (this.cutOnce()) detected = true;
    return detected;
  }

  /** Tries every cut from oldest to newest; on the first significant one drops the oldest bucket. */
  private cutOnce(): boolean {
    let n0 = 0;
    let u0 = 0;
    let n1 = this.width;
    let u1 = this.total;
    for (let row = this.rowLengths.length - 1; row >= 0; row--) {
      const size = 2 ** row;
      for (let k = 0; k < this.rowLengths[row]; k++) {
        n0 += size;
        n1 -= size;
        u0 += this.rowTotals[row][k];
        u1 -= this.rowTotals[row][k];
        if (n1 <= 0) return false;
        if (n0 >= MIN_SUBWINDOW && n1 >= MIN_SUBWINDOW && this.significant(n0, n1, u0 / n0 - u1 / n1)) {
          this.dropOldestBucket();
          return true;
        }
      }
    }
    return false;
  }

  private significant(n0: number, n1: number, meanDifference: number): boolean {
    const deltaPrime = Math.log((2 * Math.log(this.width)) / this.delta);
    const m = 1 / (n0 - MIN_SUBWINDOW + 1) + 1 / (n1 - MIN_SUBWINDOW + 1);
    const windowVariance = Math.max(0, this.variance / this.width);
    const epsilon = Math.sqrt(2 * m * windowVariance * deltaPrime) + (2 / 3) * deltaPrime * m;
    return Math.abs(meanDifference) > epsilon;
  }

  private dropOldestBucket(): void {
    const row = this.rowLengths.length - 1;
    const size = 2 ** row;
    const bucketTotal = this.rowTotals[row][0];
    const bucketVariance = this.rowVariances[row][0];
    this.width -= size;
    this.total -= bucketTotal;
    const d = bucketTotal / size - (this.width > 0 ? this.total / this.width : 0);
    this.variance -= bucketVariance + (size * this.width * d * d) / (size + this.width);
    this.shiftOut(row, 1);
    if (this.rowLengths[row] === 0) {
      this.rowLengths.pop();
      this.rowTotals.pop();
      this.rowVariances.pop();
    }
  }
}

export const adwin: DetectorDescriptor<AdwinOptions> = {
  name: 'adwin',
  input: 'real',
  defaults: { delta: 0.002 },
  create: (options) => new Adwin(options),
};
