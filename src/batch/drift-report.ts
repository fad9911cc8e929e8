/**
 * Batch drift of two tables: every column present in both is a feature; each applicable method is
 * run with its threshold (the config's, a number or `auto` calibrated at the current file's size in
 * batch-thresholds.ts, else the method's default), the primary method (psi unless --methods leaves it out) decides
 * whether the feature drifted, and the dataset drifted when at least half the features did.
 * Pure: tables in, report out. A feature with no values on either side gets no verdict (null values,
 * not drifted).
 */
import { OTHER_CATEGORY } from '../stats/binning.js';
import type { CategoryFold } from '../stats/category-fold.js';
import { choosePrimary, DriftScorer, type MethodScore } from '../stats/drift-scorer.js';
import { PRIMARY_METHOD, type DriftMethodName, type FeatureType } from '../stats/methods/index.js';
import { asCategorical, type Column, type Table } from '../tables/column.js';
import { categoryBins, numericBins, numericSamples, type FeatureBins, type NumericSamples } from './feature-bins.js';
import { multivariateReport, type MultivariateOptions, type MultivariateReport } from './multivariate-report.js';
import { batchPopulation, calibrateBatchThresholds, type ThresholdSettings } from './batch-thresholds.js';

export interface DriftOptions {
  bins: number;
  /** Methods to run; undefined = all applicable. */
  methods?: readonly DriftMethodName[];
  /** Columns treated as categorical even when every value is a number. */
  categorical: readonly string[];
  maxCategories: number;
  /** Share of drifted features at which the dataset counts as drifted. */
  datasetShare: number;
  /** Multivariate (PCA reconstruction) drift over all features; on unless false. */
  multivariate?: boolean;
  /** The config's drift.multivariate settings (variance kept, `std` band or `auto`); NannyML's defaults without. */
  multivariateSettings?: Omit<MultivariateOptions, 'maxCategories' | 'falseAlarmRate'>;
  /** A feature's threshold settings (config drift.thresholds over features[].thresholds); unset: every method's default. */
  thresholdsOf?: (feature: string) => ThresholdSettings;
  /** α of `auto` thresholds (config drift.false_alarm_rate); default 0.01. */
  falseAlarmRate?: number;
  /**
   * Categorical: fold categories rare in the pooled counts into one bin, as the sidecar does
   * (config drift.min_category_count, read with --config; stats/category-fold.ts). Unset: every
   * category seen on either side keeps its bin (scipy's chi2_contingency on the whole table).
   */
  minCategoryCount?: number;
}

export const DEFAULT_DRIFT_OPTIONS: DriftOptions = { bins: 10, categorical: [], maxCategories: 1000, datasetShare: 0.5 };

/** Where a method's threshold came from: its default, a number in the config, or `auto` (calibrated distance, α for a test). */
export type ThresholdSource = 'default' | 'config' | 'auto';

/** One method's result on one feature, with its threshold and verdict (scored in stats/drift-scorer.ts). */
export type MethodOutcome = MethodScore & { thresholdSource: ThresholdSource };

export interface FeatureDriftReport {
  name: string;
  type: FeatureType;
  nReference: number;
  nCurrent: number;
  missingReference: number;
  missingCurrent: number;
  primaryMethod: DriftMethodName;
  drifted: boolean;
  methods: MethodOutcome[];
  /** Every bin, for the charts: quantile bins, or each category (past the cap: `__other__`). */
  bins: FeatureBins;
  /** Bins the methods compared: all numeric bins; categories seen on either side, after the fold. */
  binsCompared: number;
}

export interface DriftReport {
  features: FeatureDriftReport[];
  driftedFeatures: number;
  driftShare: number;
  drifted: boolean;
  /** Data-reconstruction drift over every feature together (two or more features). */
  multivariate?: MultivariateReport;
}

export class DriftInputError extends Error {}

export function featureDrift(reference: Column, current: Column, options: DriftOptions): FeatureDriftReport {
  const forced = options.categorical.includes(reference.name);
  const type: FeatureType = !forced && reference.kind === 'numeric' && current.kind === 'numeric' ? 'numeric' : 'categorical';
  let bins: FeatureBins;
  let samples: NumericSamples | undefined;
  if (type === 'numeric' && reference.kind === 'numeric' && current.kind === 'numeric') {
    samples = numericSamples(reference, current);
    bins = numericBins(samples, options.bins);
  } else {
    bins = categoryBins(asCategorical(reference), asCategorical(current), options.maxCategories);
  }
  // The primary is psi unless --methods leaves it out.
  const primaryMethod = choosePrimary(type, PRIMARY_METHOD, options.methods);
  const settings = options.thresholdsOf?.(reference.name) ?? {};
  const categoryFold = type === 'categorical' ? foldOf(bins, options.minCategoryCount) : undefined;
  const scorerSettings = { methods: options.methods, primary: primaryMethod, falseAlarmRate: options.falseAlarmRate, categoryFold };
  const population = Object.values(settings).includes('auto') ? batchPopulation(type, options.bins, samples?.refSorted, bins.reference) : undefined;
  // The bins the scorer will compare (after the fold): an `auto` threshold is read at that bin count.
  const compared = new DriftScorer(type, scorerSettings).comparedBins(bins.reference, bins.current).rc.length;
  const comparison = { bins: compared, refTotal: bins.referenceTotal, curTotal: bins.currentTotal };
  const { thresholds, calibrated } = calibrateBatchThresholds(type, settings, scorerSettings, population, comparison);
  const score = new DriftScorer(type, { ...scorerSettings, thresholds }).score({
    refCounts: bins.reference,
    curCounts: bins.current,
    refTotal: bins.referenceTotal,
    curTotal: bins.currentTotal,
    refSorted: samples?.refSorted,
    curSorted: samples ? () => samples.current : undefined,
  });
  return {
    name: reference.name,
    type,
    nReference: bins.referenceTotal,
    nCurrent: bins.currentTotal,
    missingReference: reference.missing,
    missingCurrent: current.missing,
    primaryMethod,
    drifted: score.drifted ?? false,
    methods: score.methods.map((m) => ({ ...m, thresholdSource: sourceOf(m, settings[m.method.name], calibrated) })),
    bins,
    binsCompared: score.bins,
  };
}

/** The fold of one categorical feature; `__other__` (categories past the cap) always joins the rest. */
function foldOf(bins: FeatureBins, minCategoryCount: number | undefined): CategoryFold | undefined {
  if (minCategoryCount === undefined) return undefined;
  const last = bins.labels.length - 1;
  return { minExpectedCount: minCategoryCount, otherBin: bins.labels[last] === OTHER_CATEGORY ? last : undefined };
}


/** An `auto` distance that could not be calibrated (no reference values) kept its default. */
function sourceOf(m: MethodScore, setting: ThresholdSettings[DriftMethodName], calibrated: ReadonlySet<DriftMethodName>): ThresholdSource {
  if (setting === undefined) return 'default';
  if (setting !== 'auto') return 'config';
  return m.method.direction === 'p_value' || calibrated.has(m.method.name) ? 'auto' : 'default';
}

/** Column names for a message: the first 20, then how many more. */
function columnList(table: Table): string {
  const names = table.columns.map((c) => c.name);
  if (names.length === 0) return '(none)';
  return names.length > 20 ? `${names.slice(0, 20).join(', ')} … (${names.length - 20} more)` : names.join(', ');
}

export function computeDriftReport(reference: Table, current: Table, options: DriftOptions = DEFAULT_DRIFT_OPTIONS): DriftReport {
  if (reference.rowCount === 0) throw new DriftInputError('the reference data has no rows');
  if (current.rowCount === 0) throw new DriftInputError('the current data has no rows');
  const currentByName = new Map(current.columns.map((c) => [c.name, c]));
  const pairs = reference.columns.filter((c) => currentByName.has(c.name));
  if (pairs.length === 0) {
    throw new DriftInputError(
      `the reference and current data have no column in common; reference columns: ${columnList(reference)}; current columns: ${columnList(current)}`,
    );
  }
  const features = pairs.map((ref) => featureDrift(ref, currentByName.get(ref.name)!, options));
  const driftedFeatures = features.filter((f) => f.drifted).length;
  const driftShare = driftedFeatures / features.length;
  const multivariate =
    options.multivariate === false
      ? undefined
      : multivariateReport(
          pairs.map((ref, i) => ({ reference: ref, current: currentByName.get(ref.name)!, type: features[i].type })),
          { ...options.multivariateSettings, maxCategories: options.maxCategories, falseAlarmRate: options.falseAlarmRate },
        );
  return { features, driftedFeatures, driftShare, drifted: driftShare >= options.datasetShare, multivariate };
}
