/**
 * Log loss (cross-entropy), as sklearn.metrics.log_loss with eps="auto".
 *
 * sklearn (1.2+) clips predicted probabilities to [eps, 1 − eps] with eps = np.finfo(dtype).eps,
 * i.e. 2⁻⁵² for float64 (scores here are always float64), then renormalises each row to sum to 1
 * and averages −log p(true class). Clipping keeps a confidently wrong 0 or 1 finite (≈ 36.04).
 * Undefined for empty input.
 */
import { checkedLength } from './classification.js';

/** np.finfo(np.float64).eps */
export const FLOAT64_EPS = 2 ** -52;

/** Binary: `scores[i]` is P(y=1); labels are 0/1. */
export function logLossBinary(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  eps = FLOAT64_EPS,
): number | undefined {
  const n = checkedLength(labels, scores);
  if (n === 0) return undefined;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const p = clip(scores[i], eps);
    const q = 1 - p;
    // Renormalise as sklearn does; p + (1 − p) can differ from 1 by an ulp.
    const rowSum = p + q;
    sum -= Math.log((labels[i] === 1 ? p : q) / rowSum);
  }
  return sum / n;
}

/**
 * Multiclass: `probabilities` is row-major n × nClasses (row i holds P(class c) for record i),
 * labels are class indices.
 */
export function logLoss(
  labels: ArrayLike<number>,
  probabilities: ArrayLike<number>,
  nClasses: number,
  eps = FLOAT64_EPS,
): number | undefined {
  const n = labels.length;
  if (probabilities.length !== n * nClasses) {
    throw new RangeError(`expected ${n}×${nClasses} probabilities, got ${probabilities.length}`);
  }
  if (n === 0) return undefined;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const row = i * nClasses;
    let rowSum = 0;
    for (let c = 0; c < nClasses; c++) rowSum += clip(probabilities[row + c], eps);
    const label = labels[i];
    if (!Number.isInteger(label) || label < 0 || label >= nClasses) {
      throw new RangeError(`class index ${label} outside 0..${nClasses - 1}`);
    }
    sum -= Math.log(clip(probabilities[row + label], eps) / rowSum);
  }
  return sum / n;
}

function clip(p: number, eps: number): number {
  return p < eps ? eps : p > 1 - eps ? 1 - eps : p;
}
