/**
 * Label-based classification metrics: accuracy and precision / recall / F1 per class and macro.
 *
 * Labels are small integer class indices (0..nClasses-1); the caller keeps the class-name table.
 * Semantics follow scikit-learn (sklearn.metrics.precision_recall_fscore_support):
 *   precision_c = TP_c / (TP_c + FP_c), recall_c = TP_c / (TP_c + FN_c),
 *   F1_c = 2·P·R / (P + R), each 0 when its denominator is 0 (zero_division=0).
 *   Macro = unweighted mean over the classes present in y_true ∪ y_pred (sklearn's default
 *   `labels=None`), not over the whole class table: a class the stream never saw must not
 *   drag the average down.
 * Empty input → undefined, never NaN: the caller reports no value.
 */

export type ClassLabels = ArrayLike<number>;

/** Fraction of positions where yPred equals yTrue (sklearn accuracy_score). */
export function accuracy(yTrue: ClassLabels, yPred: ClassLabels): number | undefined {
  const n = checkedLength(yTrue, yPred);
  if (n === 0) return undefined;
  let correct = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === yPred[i]) correct++;
  return correct / n;
}

/** Per-class confusion counts; `present[c]` is 1 when class c occurs in yTrue or yPred. */
export interface ClassCounts {
  truePositives: Float64Array;
  falsePositives: Float64Array;
  falseNegatives: Float64Array;
  present: Uint8Array;
}

export function classCounts(yTrue: ClassLabels, yPred: ClassLabels, nClasses: number): ClassCounts {
  const n = checkedLength(yTrue, yPred);
  const counts: ClassCounts = {
    truePositives: new Float64Array(nClasses),
    falsePositives: new Float64Array(nClasses),
    falseNegatives: new Float64Array(nClasses),
    present: new Uint8Array(nClasses),
  };
  for (let i = 0; i < n; i++) {
    const t = yTrue[i];
    const p = yPred[i];
    checkClass(t, nClasses);
    checkClass(p, nClasses);
    counts.present[t] = 1;
    counts.present[p] = 1;
    if (t === p) counts.truePositives[t]++;
    else {
      counts.falsePositives[p]++;
      counts.falseNegatives[t]++;
    }
  }
  return counts;
}

export interface PrecisionRecallF1 {
  /** Indexed by class; 0 for classes absent from both y_true and y_pred. */
  precision: Float64Array;
  recall: Float64Array;
  f1: Float64Array;
  macroPrecision: number;
  macroRecall: number;
  macroF1: number;
}

/** Per-class and macro precision, recall and F1; undefined for empty input. */
export function precisionRecallF1(
  yTrue: ClassLabels,
  yPred: ClassLabels,
  nClasses: number,
): PrecisionRecallF1 | undefined {
  if (checkedLength(yTrue, yPred) === 0) return undefined;
  const { truePositives: tp, falsePositives: fp, falseNegatives: fn, present } = classCounts(yTrue, yPred, nClasses);
  const precision = new Float64Array(nClasses);
  const recall = new Float64Array(nClasses);
  const f1 = new Float64Array(nClasses);
  let sumP = 0;
  let sumR = 0;
  let sumF = 0;
  let classesPresent = 0;
  for (let c = 0; c < nClasses; c++) {
    precision[c] = divideOrZero(tp[c], tp[c] + fp[c]);
    recall[c] = divideOrZero(tp[c], tp[c] + fn[c]);
    // sklearn's F-beta form with beta = 1: (1+β²)PR / (β²P + R), zero when P + R = 0.
    f1[c] = divideOrZero(2 * precision[c] * recall[c], precision[c] + recall[c]);
    if (present[c] === 1) {
      sumP += precision[c];
      sumR += recall[c];
      sumF += f1[c];
      classesPresent++;
    }
  }
  return {
    precision,
    recall,
    f1,
    macroPrecision: sumP / classesPresent,
    macroRecall: sumR / classesPresent,
    macroF1: sumF / classesPresent,
  };
}

function divideOrZero(numerator: number, denominator: number): number {
  return denominator === 0 ? 0 : numerator / denominator;
}

function checkClass(c: number, nClasses: number): void {
  if (!Number.isInteger(c) || c < 0 || c >= nClasses) {
    throw new RangeError(`class index ${c} outside 0..${nClasses - 1}`);
  }
}

/** Paired arrays must have the same length; a mismatch is a caller bug, not missing data. */
export function checkedLength(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`length mismatch: ${a.length} vs ${b.length}`);
  return a.length;
}
