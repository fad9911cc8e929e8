/**
 * The model's own baseline: the same quality metrics computed once, at startup, on the reference
 * file's label and prediction columns (`modelwatch_model_quality_reference`), plus the isotonic
 * calibration CBPE uses when the reference also holds the positive-class score — with
 * `quality.cbpe.calibrate: auto`, only when a cross-validated check on the reference says it lowers
 * the calibration error (stats/quality/calibration-choice.ts). A multiclass reference with one score
 * column per class (`quality.score_columns`) gets the same choice per class, one-vs-rest: class c's
 * scores against [label = c], with the model's decisions [prediction = c].
 */
import type { QualityConfig } from '../../config/quality-schema.js';
import { chooseCalibration } from '../../stats/quality/calibration-choice.js';
import { fitIsotonic, type IsotonicCalibration } from '../../stats/quality/isotonic.js';
import { isMissing, type RawValue } from '../../windows/reference-profile.js';
import { ClassTable } from './class-table.js';
import type { ReferenceColumns } from '../../windows/reference-loader.js';
import { classificationQuality, regressionQuality, type QualityValue } from './window-quality.js';

export interface ReferenceQuality {
  task: 'classification' | 'regression';
  values: QualityValue[];
  calibration?: IsotonicCalibration;
  /** Whether CBPE calibrates (absent without reference scores), and the held-out ECEs behind `auto`. */
  cbpe?: CbpeChoice;
  /** Multiclass: per class (quality.classes order), its calibration and the choice behind it. */
  classCalibrations?: (IsotonicCalibration | undefined)[];
  classCbpe?: CbpeChoice[];
}

export interface CbpeChoice {
  calibrated: boolean;
  rawEce?: number;
  calibratedEce?: number;
}

export function referenceTask(quality: QualityConfig, predictions: readonly RawValue[], hasScores: boolean): 'classification' | 'regression' {
  if (quality.task !== 'auto') return quality.task;
  if (hasScores || quality.classes) return 'classification';
  return predictions.some((p) => typeof p === 'string' || typeof p === 'boolean') ? 'classification' : 'regression';
}

export function referenceQuality(cols: ReferenceColumns, quality: QualityConfig): ReferenceQuality {
  const task = referenceTask(quality, cols.predictions, cols.scores !== undefined || cols.classScores !== undefined);
  const rows: number[] = [];
  for (let i = 0; i < cols.labels.length; i++) {
    if (isMissing(cols.labels[i]) || isMissing(cols.predictions[i])) continue;
    if (cols.scores && isMissing(cols.scores[i])) continue;
    if (cols.classScores?.some((column) => isMissing(column[i]))) continue;
    rows.push(i);
  }
  const n = rows.length;
  const truth = new Float64Array(n);
  const prediction = new Float64Array(n);
  if (task === 'regression') {
    rows.forEach((row, k) => {
      truth[k] = Number(cols.labels[row]);
      prediction[k] = Number(cols.predictions[row]);
    });
    return { task, values: regressionQuality(truth, prediction) };
  }
  const classes = new ClassTable(quality.classes, quality.max_classes);
  rows.forEach((row, k) => {
    truth[k] = classes.indexOf(cols.labels[row] as string | number);
    prediction[k] = classes.indexOf(cols.predictions[row] as string | number);
  });
  const positive = classes.find(quality.positive_class);
  const score = new Float64Array(n).fill(NaN);
  let calibration: IsotonicCalibration | undefined;
  let cbpe: ReferenceQuality['cbpe'];
  const binary = cols.scores !== undefined && positive !== undefined && classes.size <= 2;
  if (binary) {
    const positives = new Float64Array(n);
    rows.forEach((row, k) => {
      score[k] = Number(cols.scores![row]);
      positives[k] = truth[k] === positive ? 1 : 0;
    });
    const decisions = Float64Array.from(score, (s) => (s >= quality.threshold ? 1 : 0));
    ({ calibration, cbpe } = calibrationFor(quality.cbpe.calibrate, score, positives, decisions));
  }
  const values = classificationQuality(truth, prediction, score, { classNames: classes.names, positive: binary ? positive : undefined, perClass: true });
  if (binary || !cols.classScores) return { task, values, calibration, cbpe };
  const perClass = cols.classScores.map((column, c) => {
    const scores = Float64Array.from(rows, (row) => Number(column[row]));
    const isClass = Float64Array.from(truth, (t) => (t === c ? 1 : 0));
    const decisions = Float64Array.from(prediction, (p) => (p === c ? 1 : 0));
    return calibrationFor(quality.cbpe.calibrate, scores, isClass, decisions);
  });
  return { task, values, classCalibrations: perClass.map((p) => p.calibration), classCbpe: perClass.map((p) => p.cbpe) };
}

/** The calibration of one score column against 0/1 labels, as `quality.cbpe.calibrate` says. */
function calibrationFor(setting: QualityConfig['cbpe']['calibrate'], scores: Float64Array, labels: Float64Array, decisions: Float64Array): { calibration?: IsotonicCalibration; cbpe: CbpeChoice } {
  if (setting === 'auto') {
    const choice = chooseCalibration(scores, labels, { decisions });
    return { calibration: choice?.calibration, cbpe: { calibrated: choice?.calibrated ?? false, rawEce: choice?.rawEce, calibratedEce: choice?.calibratedEce } };
  }
  const calibration = setting ? fitIsotonic(scores, labels) : undefined;
  return { calibration, cbpe: { calibrated: calibration !== undefined } };
}
