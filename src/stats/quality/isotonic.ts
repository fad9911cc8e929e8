/**
 * Isotonic calibration of binary scores: fits a non-decreasing map score → P(y=1) on labelled
 * reference data by pool-adjacent-violators (PAV), as sklearn IsotonicRegression with
 * y_min=0, y_max=1, out_of_bounds="clip" (what CalibratedClassifierCV(method="isotonic") uses).
 *
 * Tied scores are first pooled into one point (weight = count, value = mean label), as sklearn
 * does; PAV then merges adjacent blocks while their means decrease. Prediction interpolates
 * linearly between the fitted points and clips outside the reference score range.
 */
import { checkedLength } from './classification.js';

export interface IsotonicCalibration {
  /** Distinct reference scores, ascending. */
  readonly knots: Float64Array;
  /** Fitted P(y=1) at each knot, non-decreasing. */
  readonly values: Float64Array;
}

/** Undefined when there is no reference data. */
export function fitIsotonic(scores: ArrayLike<number>, labels: ArrayLike<number>): IsotonicCalibration | undefined {
  const n = checkedLength(scores, labels);
  if (n === 0) return undefined;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  order.sort((a, b) => scores[a] - scores[b]);

  // Pool ties: one point per distinct score.
  const knots: number[] = [];
  const sums: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = scores[order[i]];
    const y = labels[order[i]] === 1 ? 1 : 0;
    if (knots.length > 0 && knots[knots.length - 1] === s) {
      sums[sums.length - 1] += y;
      weights[weights.length - 1]++;
    } else {
      knots.push(s);
      sums.push(y);
      weights.push(1);
    }
  }

  // PAV over the pooled points: a stack of blocks (sum, weight, first point index).
  const blockSum: number[] = [];
  const blockWeight: number[] = [];
  const blockStart: number[] = [];
  for (let k = 0; k < knots.length; k++) {
    blockSum.push(sums[k]);
    blockWeight.push(weights[k]);
    blockStart.push(k);
    // Merge while the last block's mean falls below its predecessor's.
    while (blockSum.length > 1) {
      const last = blockSum.length - 1;
      if (blockSum[last - 1] / blockWeight[last - 1] <= blockSum[last] / blockWeight[last]) break;
      blockSum[last - 1] += blockSum[last];
      blockWeight[last - 1] += blockWeight[last];
      blockSum.pop();
      blockWeight.pop();
      blockStart.pop();
    }
  }

  const values = new Float64Array(knots.length);
  for (let b = 0; b < blockSum.length; b++) {
    const end = b + 1 < blockStart.length ? blockStart[b + 1] : knots.length;
    values.fill(blockSum[b] / blockWeight[b], blockStart[b], end);
  }
  return { knots: Float64Array.from(knots), values };
}

/** Calibrated probability for one score. */
export function applyIsotonic(calibration: IsotonicCalibration, score: number): number {
  const { knots, values } = calibration;
  const last = knots.length - 1;
  if (score <= knots[0]) return values[0];
  if (score >= knots[last]) return values[last];
  // Binary search for the knot interval holding the score.
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (knots[mid] <= score) lo = mid;
    else hi = mid;
  }
  const t = (score - knots[lo]) / (knots[hi] - knots[lo]);
  return values[lo] + t * (values[hi] - values[lo]);
}

/** Calibrated probabilities for many scores (a new array). */
export function calibrate(calibration: IsotonicCalibration, scores: ArrayLike<number>): Float64Array {
  const out = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) out[i] = applyIsotonic(calibration, scores[i]);
  return out;
}
