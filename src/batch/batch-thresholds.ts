/**
 * Thresholds of one feature in a batch report. Fixed numbers and the methods' defaults are used as
 * they are; an `auto` distance is calibrated to the false-alarm rate α at the current file's exact
 * size, from the reference file's own values, by the scorer the sidecar uses (DriftScorer.calibrate:
 * the same draws, the same (1 − α) quantile, seeded by the size as the sidecar's calibration is), so
 * a batch verdict and a live window of the same size read the same threshold. An `auto` p-value
 * method's threshold is the α quantile of its null p-values (calibration-scale.ts). Without values
 * to draw from, an `auto` distance keeps its default and a p-value method reads α.
 */
import { calibratedThreshold, type Comparison } from '../stats/calibration-scale.js';
import { DriftScorer, type ScorerSettings, type ThresholdSetting } from '../stats/drift-scorer.js';
import type { DriftMethodName, FeatureType } from '../stats/methods/index.js';
import { categoricalPopulation, type CalibrationPopulation } from '../stats/threshold-calibration.js';

export type ThresholdSettings = Partial<Record<DriftMethodName, ThresholdSetting>>;

/** What calibration draws from: the reference's sorted values (numeric) or its bin counts (categorical). */
export function batchPopulation(type: FeatureType, bins: number, refSorted: Float64Array | undefined, refCounts: Float64Array): CalibrationPopulation | undefined {
  if (type === 'numeric') return refSorted && refSorted.length > 1 ? { type: 'numeric', values: refSorted, bins, referenceSize: refSorted.length } : undefined;
  return categoricalPopulation(refCounts);
}

/**
 * The settings with every `auto` method replaced by its threshold calibrated for the comparison (the
 * current file's size, the reference's, the bins compared); `calibrated` names the methods set so.
 */
export function calibrateBatchThresholds(
  type: FeatureType,
  settings: ThresholdSettings,
  scorer: Pick<ScorerSettings, 'methods' | 'primary' | 'falseAlarmRate' | 'calibrationDraws' | 'categoryFold'>,
  population: CalibrationPopulation | undefined,
  comparison: Comparison,
): { thresholds: ThresholdSettings; calibrated: Set<DriftMethodName> } {
  const thresholds: ThresholdSettings = { ...settings };
  const calibrated = new Set<DriftMethodName>();
  const windowSize = comparison.curTotal;
  if (!Object.values(settings).includes('auto') || population === undefined || windowSize < 1) return { thresholds, calibrated };
  const auto = new DriftScorer(type, { ...scorer, thresholds: settings, calibration: () => population });
  // Seeded by the size, as the sidecar's calibration at a bucket centre of that size (auto-thresholds.ts).
  const result = auto.calibrate(windowSize, [auto.falseAlarmRate], 1 + windowSize);
  result?.methods.forEach((method, j) => {
    const threshold = calibratedThreshold(method, result.calibration.thresholds[j][0], comparison);
    if (!Number.isFinite(threshold)) return;
    thresholds[method.name] = threshold;
    calibrated.add(method.name);
  });
  return { thresholds, calibrated };
}
