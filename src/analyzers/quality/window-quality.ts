/**
 * Realized quality of one window of joined pairs (or a subset of it: a segment), as a flat list
 * of (metric, class?, value). Only the statistics in src/stats/quality are used, so every value is
 * what scikit-learn gives on the same pairs.
 *
 * Classification: accuracy, precision/recall/f1 per class (class label, classes present in the
 * window) and macro (`precision_macro`, …), and from scores: `roc_auc` (binary) and `log_loss`.
 * The score column holds the positive-class score for binary models, and for multiclass models
 * the true class's probability already clipped and renormalised (what log loss needs), NaN when
 * no scores were logged; scores count only when every pair of the window has one.
 * Regression: mae, rmse, mape (a fraction), r2.
 */
import { accuracy, precisionRecallF1 } from '../../stats/quality/classification.js';
import { logLossBinary } from '../../stats/quality/log-loss.js';
import { meanAbsoluteError, meanAbsolutePercentageError, r2Score, rootMeanSquaredError } from '../../stats/quality/regression.js';
import { rocAuc } from '../../stats/quality/roc-auc.js';

export interface QualityValue {
  metric: string;
  class?: string;
  value: number;
}

export interface ClassificationShape {
  classNames: readonly string[];
  /** Binary models: the positive class index (scores are its probability). */
  positive?: number;
  /** Per-class metrics are left out (segments: keeps cardinality down). */
  perClass: boolean;
}

export function classificationQuality(truth: Float64Array, prediction: Float64Array, score: Float64Array, shape: ClassificationShape): QualityValue[] {
  const out: QualityValue[] = [];
  const push = (metric: string, value: number | undefined, cls?: string) => {
    if (value !== undefined && Number.isFinite(value)) out.push(cls === undefined ? { metric, value } : { metric, class: cls, value });
  };
  const nClasses = shape.classNames.length;
  push('accuracy', accuracy(truth, prediction));
  const prf = precisionRecallF1(truth, prediction, nClasses);
  if (prf) {
    push('precision_macro', prf.macroPrecision);
    push('recall_macro', prf.macroRecall);
    push('f1_macro', prf.macroF1);
    if (shape.perClass) {
      const present = new Uint8Array(nClasses);
      for (let i = 0; i < truth.length; i++) present[truth[i]] = present[prediction[i]] = 1;
      for (let c = 0; c < nClasses; c++) {
        if (present[c] === 0) continue;
        push('precision', prf.precision[c], shape.classNames[c]);
        push('recall', prf.recall[c], shape.classNames[c]);
        push('f1', prf.f1[c], shape.classNames[c]);
      }
    }
  }
  if (!allFinite(score)) return out;
  if (shape.positive !== undefined) {
    const positives = new Float64Array(truth.length);
    for (let i = 0; i < truth.length; i++) positives[i] = truth[i] === shape.positive ? 1 : 0;
    push('roc_auc', rocAuc(positives, score));
    push('log_loss', logLossBinary(positives, score));
  } else if (score.length > 0) {
    let sum = 0;
    for (let i = 0; i < score.length; i++) sum -= Math.log(score[i]);
    push('log_loss', sum / score.length);
  }
  return out;
}

export function regressionQuality(truth: Float64Array, prediction: Float64Array): QualityValue[] {
  const out: QualityValue[] = [];
  const values: [string, number | undefined][] = [
    ['mae', meanAbsoluteError(truth, prediction)],
    ['rmse', rootMeanSquaredError(truth, prediction)],
    ['mape', meanAbsolutePercentageError(truth, prediction)],
    ['r2', r2Score(truth, prediction)],
  ];
  for (const [metric, value] of values) if (value !== undefined && Number.isFinite(value)) out.push({ metric, value });
  return out;
}

function allFinite(a: Float64Array): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/** Rows of `columns` where `codes[i] === code`, as new arrays. */
export function subset(codes: Int32Array, code: number, ...columns: Float64Array[]): Float64Array[] {
  let n = 0;
  for (let i = 0; i < codes.length; i++) if (codes[i] === code) n++;
  return columns.map((col) => {
    const out = new Float64Array(n);
    let k = 0;
    for (let i = 0; i < codes.length; i++) if (codes[i] === code) out[k++] = col[i];
    return out;
  });
}
