/**
 * Binary ROC AUC from scores (sklearn roc_auc_score for a binary y_true).
 *
 * sklearn builds the ROC curve over the distinct score thresholds and integrates it with the
 * trapezoid rule; tied scores form one step, which counts each tied positive/negative pair as
 * one half. That is the Mann–Whitney U statistic with average ranks, divided by n₊·n₋.
 * Here the trapezoid runs on raw counts (exact integers and halves) and divides once at the
 * end, so the result matches sklearn to the last few ulps.
 * Undefined when there are no scores or only one class is present (sklearn raises).
 */
import { checkedLength } from './classification.js';

/** labels: 1 = positive, 0 = negative; scores: higher means more likely positive. */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number | undefined {
  const n = checkedLength(labels, scores);
  if (n === 0) return undefined;
  return weightedRocAuc(scores, labels);
}

/**
 * The area under the ROC curve when record i counts `positive[i]` as a positive and
 * `1 − positive[i]` as a negative: 0/1 labels give the realized AUC, probabilities the expected one
 * (CBPE). Ties in score enter the curve together (trapezoid), as scikit-learn does.
 */
export function weightedRocAuc(scores: ArrayLike<number>, positive: ArrayLike<number>): number | undefined {
  const n = scores.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // Descending by score: sweeping the threshold from high to low adds points to the curve.
  order.sort((a, b) => scores[b] - scores[a]);

  let tp = 0;
  let fp = 0;
  let area = 0;
  let i = 0;
  while (i < n) {
    const threshold = scores[order[i]];
    const tpBefore = tp;
    const fpBefore = fp;
    while (i < n && scores[order[i]] === threshold) {
      tp += positive[order[i]];
      fp += 1 - positive[order[i]];
      i++;
    }
    area += ((fp - fpBefore) * (tp + tpBefore)) / 2;
  }
  if (tp <= 0 || fp <= 0) return undefined;
  return area / (tp * fp);
}
