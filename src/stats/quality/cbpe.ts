/**
 * Confidence-based performance estimation (CBPE, as in NannyML) for binary classifiers: while
 * labels are still missing, a calibrated score p is the probability that the record is positive,
 * so each record contributes fractionally to the expected confusion matrix. With ŷ = [s ≥ t]:
 *   E[TP] = Σ_{ŷ=1} p,  E[FP] = Σ_{ŷ=1} (1 − p),  E[FN] = Σ_{ŷ=0} p,  E[TN] = Σ_{ŷ=0} (1 − p)
 * and accuracy, precision, recall, F1 follow from the expected counts (0 on a zero denominator,
 * like the realized metrics' zero_division=0).
 *
 * Estimated ROC AUC: the expected TPR/FPR at every distinct score threshold (records ranked by
 * their raw score, weighted by calibrated p), closed with the (0, 0) point and integrated by the
 * trapezoid. NannyML's estimate_roc_auc builds the same curve from the sorted probabilities; it
 * closes the curve differently (a virtual threshold of 1), which shifts small chunks slightly.
 *
 * The estimate is only as good as the calibration: pass an isotonic calibration fitted on labelled
 * reference data (isotonic.ts). The prediction ŷ always uses the raw score, as the model did.
 * Reference: NannyML docs, "Confidence-based Performance Estimation (CBPE)".
 */
import { applyIsotonic, type IsotonicCalibration } from './isotonic.js';
import { weightedRocAuc } from './roc-auc.js';

export interface CbpeOptions {
  /** Decision threshold on the raw score; default 0.5. */
  threshold?: number;
  /** Calibration fitted on reference (score, label) pairs; scores are used as-is without it. */
  calibration?: IsotonicCalibration;
}

export interface CbpeEstimate {
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  /** Undefined when every expected count of one class is 0 (all p = 0 or all p = 1). */
  rocAuc: number | undefined;
  expectedTruePositives: number;
  expectedFalsePositives: number;
  expectedFalseNegatives: number;
  expectedTrueNegatives: number;
}

/** Estimated metrics for a chunk of scores; undefined for an empty chunk. */
export function estimateBinaryPerformance(scores: ArrayLike<number>, options: CbpeOptions = {}): CbpeEstimate | undefined {
  const n = scores.length;
  if (n === 0) return undefined;
  const threshold = options.threshold ?? 0.5;
  const p = probabilities(scores, options.calibration);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < n; i++) {
    if (scores[i] >= threshold) {
      tp += p[i];
      fp += 1 - p[i];
    } else {
      fn += p[i];
      tn += 1 - p[i];
    }
  }
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return {
    accuracy: (tp + tn) / n,
    precision,
    recall,
    f1: ratio(2 * precision * recall, precision + recall),
    // Expected ROC AUC: records ranked by raw score, each counting p as a positive.
    rocAuc: weightedRocAuc(scores, p),
    expectedTruePositives: tp,
    expectedFalsePositives: fp,
    expectedFalseNegatives: fn,
    expectedTrueNegatives: tn,
  };
}

function probabilities(scores: ArrayLike<number>, calibration: IsotonicCalibration | undefined): Float64Array {
  const p = new Float64Array(scores.length);
  for (let i = 0; i < scores.length; i++) {
    p[i] = calibration ? applyIsotonic(calibration, scores[i]) : Math.min(1, Math.max(0, scores[i]));
  }
  return p;
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}
