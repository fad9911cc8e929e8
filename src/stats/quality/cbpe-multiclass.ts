/**
 * CBPE for multiclass classifiers, one-vs-rest (NannyML's multiclass CBPE): each class c has its
 * score column s_c and, when the reference chose one (calibration-choice.ts), an isotonic
 * calibration of s_c against [y = c]; the calibrated probabilities of a record are then normalised
 * to sum to 1. With ŷ the predicted class (the logged prediction, else argmax of the raw scores):
 *   E[TP_c] = Σ_{ŷ=c} p_c,  E[FP_c] = Σ_{ŷ=c} (1 − p_c),  E[FN_c] = Σ_{ŷ≠c} p_c
 * precision_c, recall_c and F1_c follow from them (0 on a zero denominator); macro averages are
 * their means over the classes; expected accuracy = mean of p_ŷ. Estimated ROC AUC per class: the
 * binary estimate (records ranked by s_c, each counting p_c as positive), macro = their mean.
 * Reference: NannyML docs, "Estimating Performance for Multiclass Classification".
 */
import { applyIsotonic, type IsotonicCalibration } from './isotonic.js';
import { weightedRocAuc } from './roc-auc.js';

export interface MulticlassEstimate {
  accuracy: number;
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
  /** Undefined when the classes' estimated AUCs are all undefined. */
  macroRocAuc: number | undefined;
  perClass: { precision: number; recall: number; f1: number; rocAuc: number | undefined }[];
}

/**
 * scores[c][i]: record i's score for class c. predicted[i]: the predicted class index, or −1 to take
 * the argmax of the raw scores. Undefined for an empty chunk.
 */
export function estimateMulticlassPerformance(
  scores: readonly ArrayLike<number>[],
  options: { predicted?: ArrayLike<number>; calibrations?: readonly (IsotonicCalibration | undefined)[] } = {},
): MulticlassEstimate | undefined {
  const k = scores.length;
  const n = scores[0]?.length ?? 0;
  if (k < 2 || n === 0) return undefined;
  const p = scores.map(() => new Float64Array(n));
  const predicted = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    let best = 0;
    for (let c = 0; c < k; c++) {
      const s = scores[c][i];
      const calibration = options.calibrations?.[c];
      const q = calibration ? applyIsotonic(calibration, s) : Math.min(1, Math.max(0, s));
      p[c][i] = q;
      sum += q;
      if (s > scores[best][i]) best = c;
    }
    // Normalised so the expected counts of a record add up to one record.
    for (let c = 0; c < k; c++) p[c][i] = sum > 0 ? p[c][i] / sum : 1 / k;
    const logged = options.predicted?.[i];
    predicted[i] = logged !== undefined && logged >= 0 && logged < k ? logged : best;
  }
  let correct = 0;
  for (let i = 0; i < n; i++) correct += p[predicted[i]][i];
  const perClass = p.map((pc, c) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (let i = 0; i < n; i++) {
      if (predicted[i] === c) {
        tp += pc[i];
        fp += 1 - pc[i];
      } else fn += pc[i];
    }
    const precision = ratio(tp, tp + fp);
    const recall = ratio(tp, tp + fn);
    return { precision, recall, f1: ratio(2 * precision * recall, precision + recall), rocAuc: weightedRocAuc(scores[c], pc) };
  });
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  const aucs = perClass.map((c) => c.rocAuc).filter((a): a is number => a !== undefined);
  return {
    accuracy: correct / n,
    macroPrecision: mean(perClass.map((c) => c.precision)),
    macroRecall: mean(perClass.map((c) => c.recall)),
    macroF1: mean(perClass.map((c) => c.f1)),
    macroRocAuc: aucs.length > 0 ? mean(aucs) : undefined,
    perClass,
  };
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}
