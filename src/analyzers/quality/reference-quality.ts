/**
 * The model's own baseline: the same quality metrics computed once, at startup, on the reference
 * file's label and prediction columns (`modelwatch_model_quality_reference`), plus the isotonic
 * calibration CBPE uses when the reference also holds the positive-class score — with
 * `quality.cbpe.calibrate: auto`, only when a cross-validated check on the reference says it lowers
 * the calibration error (stats/quality/calibration-choice.ts).
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
  cbpe?: { calibrated: boolean; rawEce?: number; calibratedEce?: number };
}

export function referenceTask(quality: QualityConfig, predictions: readonly RawValue[], hasScores: boolean): 'classification' | 'regression' {
  if (quality.task !== 'auto') return quality.task;
  if (hasScores || quality.classes) return 'classification';
  return predictions.some((p) => typeof p === 'string' || typeof p === 'boolean') ? 'classification' : 'regression';
}

export function referenceQuality(cols: ReferenceColumns, quality: QualityConfig): ReferenceQuality {
  const task = referenceTask(quality, cols.predictions, cols.scores !== undefined);
  const rows: number[] = [];
  for (let i = 0; i < cols.labels.length; i++) {
    if (isMissing(cols.labels[i]) || isMissing(cols.predictions[i])) continue;
    if (cols.scores && isMissing(cols.scores[i])) continue;
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
    const setting = quality.cbpe.calibrate;
    if (setting === 'auto') {
      const choice = chooseCalibration(score, positives, { threshold: quality.threshold });
      calibration = choice?.calibration;
      cbpe = { calibrated: choice?.calibrated ?? false, rawEce: choice?.rawEce, calibratedEce: choice?.calibratedEce };
    } else {
      calibration = setting ? fitIsotonic(score, positives) : undefined;
      cbpe = { calibrated: calibration !== undefined };
    }
  }
  const values = classificationQuality(truth, prediction, score, { classNames: classes.names, positive: binary ? positive : undefined, perClass: true });
  return { task, values, calibration, cbpe };
}
