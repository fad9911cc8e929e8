/**
 * CBPE estimates of a multiclass classifier from one window's score vectors, named as the realized
 * metrics are (window-quality.ts) so that an estimate and its realized value share labels:
 *   accuracy, precision_macro, recall_macro, f1_macro, roc_auc (macro one-vs-rest, as sklearn's
 *   roc_auc_score(multi_class="ovr") averages by default) — without a class label;
 *   precision, recall, f1, roc_auc — with `class` = a configured class name (one-vs-rest).
 * Class labels come only from quality.classes, so the series stay bounded by the config.
 */
import { estimateMulticlassPerformance } from '../../stats/quality/cbpe-multiclass.js';
import type { IsotonicCalibration } from '../../stats/quality/isotonic.js';
import type { PairWindow } from '../../windows/pair-window.js';
import type { QualityValue } from './window-quality.js';

/**
 * `windows[c]` holds class c's scores; every window holds the same records (pushed in lockstep), with
 * the predicted class index (−1: argmax) in its prediction column. Empty below `minSamples` records.
 */
export function multiclassEstimates(
  windows: readonly PairWindow[],
  classes: readonly string[],
  minSamples: number,
  calibrations: readonly (IsotonicCalibration | undefined)[] | undefined,
): QualityValue[] {
  if (windows.length !== classes.length || windows[0].length < minSamples) return [];
  const columns = windows.map((w) => w.columns());
  const e = estimateMulticlassPerformance(
    columns.map((c) => c.score),
    { predicted: columns[0].prediction, calibrations },
  );
  if (!e) return [];
  const out: QualityValue[] = [];
  const push = (metric: string, value: number | undefined, cls?: string) => {
    if (value === undefined || !Number.isFinite(value)) return;
    out.push(cls === undefined ? { metric, value } : { metric, class: cls, value });
  };
  push('accuracy', e.accuracy);
  push('precision_macro', e.macroPrecision);
  push('recall_macro', e.macroRecall);
  push('f1_macro', e.macroF1);
  push('roc_auc', e.macroRocAuc);
  e.perClass.forEach((c, i) => {
    push('precision', c.precision, classes[i]);
    push('recall', c.recall, classes[i]);
    push('f1', c.f1, classes[i]);
    push('roc_auc', c.rocAuc, classes[i]);
  });
  return out;
}
