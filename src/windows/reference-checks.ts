/**
 * What can be wrong with a reference that loaded fine, said at startup and by `check-config`:
 *
 * - A column named like the label (`target`, `y`, …) or the prediction, profiled as a feature
 *   because `reference.label_column` / `prediction_column` is unset: the logs never carry it, so it
 *   reads as 100 % missing and its drift is meaningless.
 * - Too few rows for the bins. Under no drift, with B equiprobable bins, a reference of n rows and a
 *   window of m, the expected PSI is E[PSI] ≈ (B − 1)(1/n + 1/m) (PSI is the symmetric KL divergence,
 *   ≈ a χ² statistic with B − 1 degrees of freedom over the sample sizes). The reference's part,
 *   (B − 1)/n, stays below a tenth of PSI's default threshold 0.2 when n ≥ 50 (B − 1): 450 rows for
 *   10 bins. A 106-row reference alone gives ≈ 0.085, and with a 100-record window ≈ 0.17, so
 *   unshifted features cross 0.2 by chance.
 */
import type { Config } from '../config/schema.js';
import type { ReferenceProfile } from './reference-profile.js';

/** Rows below which a reference gives false drift for `bins` bins (see above). */
export function minReferenceRows(bins: number): number {
  return 50 * (bins - 1);
}

/** Column names that are the ground truth in most training files. */
const LABEL_NAMES = new Set(['target', 'label', 'labels', 'y', 'y_true', 'ground_truth', 'groundtruth', 'truth', 'class', 'actual', 'outcome']);
/** Column names that are the model's output. */
const PREDICTION_NAMES = new Set(['prediction', 'predictions', 'predicted', 'pred', 'y_pred', 'y_hat', 'yhat', 'score']);

export interface ReferenceWarning {
  kind: 'label_column' | 'prediction_column' | 'small_reference';
  message: string;
}

type CheckedConfig = Pick<Config, 'features' | 'reference' | 'sources'>;

/** The last key of a field path (`a.b.label` → `label`, `/a/label` → `label`). */
function lastKey(path: string): string {
  return path.split(/[./]/).filter(Boolean).pop() ?? path;
}

function namedLike(name: string, names: ReadonlySet<string>): boolean {
  return names.has(name.toLowerCase());
}

export function referenceWarnings(profile: ReferenceProfile, config: CheckedConfig): ReferenceWarning[] {
  const warnings: ReferenceWarning[] = [];
  const where = config.reference.path ?? profile.source;
  // With `features` configured, other columns are not features: nothing to mistake.
  if (!config.features) {
    const labelFields = new Set(config.sources.filter((s) => s.role === 'labels').map((s) => lastKey(s.format.fields.label)));
    const predictionFields = new Set(config.sources.filter((s) => s.role === 'records').map((s) => lastKey(s.format.fields.prediction)));
    for (const name of Object.keys(profile.features)) {
      if (!config.reference.label_column && (namedLike(name, LABEL_NAMES) || labelFields.has(name))) {
        warnings.push({
          kind: 'label_column',
          message: `reference column "${name}" of ${where} looks like the label but is profiled as a feature (the logs never carry it: 100 % missing, meaningless drift); set reference.label_column: ${name}`,
        });
      } else if (!config.reference.prediction_column && (namedLike(name, PREDICTION_NAMES) || predictionFields.has(name))) {
        warnings.push({
          kind: 'prediction_column',
          message: `reference column "${name}" of ${where} looks like the model's prediction but is profiled as a feature; set reference.prediction_column: ${name}`,
        });
      }
    }
  }
  const min = minReferenceRows(profile.bins);
  if (profile.rows < min) {
    warnings.push({
      kind: 'small_reference',
      message: `reference ${where} has ${profile.rows} rows, fewer than ${min} (50 × (drift.bins − 1) for ${profile.bins} bins): expect false drift on unshifted features (E[PSI] ≈ ${((profile.bins - 1) / profile.rows).toFixed(2)} from the reference alone); use more rows or fewer drift.bins`,
    });
  }
  return warnings;
}
