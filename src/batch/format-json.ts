/**
 * The `--format json` document. Key order and names are the public contract (snake_case);
 * distance methods give {value, threshold, threshold_source, drifted}, test methods {statistic,
 * p_value, threshold, threshold_source, drifted}; threshold_source is `default`, `config` or `auto`
 * (calibrated to drift.false_alarm_rate at the current file's size; α for a test). A method with no verdict (an empty side) has null numbers and drifted false. With two
 * or more features, `multivariate` holds the data-reconstruction drift of all of them together.
 */
import type { DriftReport, FeatureDriftReport, MethodOutcome, ThresholdSource } from './drift-report.js';

export type MethodJson =
  | { value: number | null; threshold: number; threshold_source: ThresholdSource; drifted: boolean }
  | { statistic: number | null; p_value: number | null; threshold: number; threshold_source: ThresholdSource; drifted: boolean };

export interface FeatureJson {
  name: string;
  type: 'numeric' | 'categorical';
  n_reference: number;
  n_current: number;
  missing_reference: number;
  missing_current: number;
  /** Bins the methods compared (numeric: the quantile bins; categorical: categories after the fold). */
  bins_compared: number;
  primary_method: string;
  drifted: boolean;
  methods: Record<string, MethodJson>;
}

export interface MultivariateJson {
  method: string;
  features: string[];
  components: number;
  explained_variance: number;
  reference_mean: number;
  score: number;
  threshold: { lower: number; upper: number };
  /** `std` (reference mean ± multiplier sd/√n) or `auto` (calibrated to drift.false_alarm_rate, upper only). */
  threshold_source: 'std' | 'auto';
  drifted: boolean;
}

export interface DriftReportJson {
  dataset: { features: number; drifted_features: number; drift_share: number; drifted: boolean };
  features: FeatureJson[];
  /** Present with two or more features. */
  multivariate?: MultivariateJson;
}

function methodJson(outcome: MethodOutcome): MethodJson {
  const { result, threshold, drifted, thresholdSource: threshold_source } = outcome;
  if (outcome.method.direction === 'distance') return { value: result?.value ?? null, threshold, threshold_source, drifted };
  return { statistic: result?.value ?? null, p_value: result?.pValue ?? null, threshold, threshold_source, drifted };
}

function featureJson(feature: FeatureDriftReport): FeatureJson {
  return {
    name: feature.name,
    type: feature.type,
    n_reference: feature.nReference,
    n_current: feature.nCurrent,
    missing_reference: feature.missingReference,
    missing_current: feature.missingCurrent,
    bins_compared: feature.binsCompared,
    primary_method: feature.primaryMethod,
    drifted: feature.drifted,
    methods: Object.fromEntries(feature.methods.map((m) => [m.method.name, methodJson(m)])),
  };
}

export function driftReportJson(report: DriftReport): DriftReportJson {
  return {
    dataset: {
      features: report.features.length,
      drifted_features: report.driftedFeatures,
      drift_share: report.driftShare,
      drifted: report.drifted,
    },
    features: report.features.map(featureJson),
    ...(report.multivariate && {
      multivariate: {
        method: report.multivariate.method,
        features: report.multivariate.features,
        components: report.multivariate.components,
        explained_variance: report.multivariate.explainedVariance,
        reference_mean: report.multivariate.referenceMean,
        score: report.multivariate.score,
        threshold: { lower: report.multivariate.lower, upper: report.multivariate.upper },
        threshold_source: report.multivariate.threshold,
        drifted: report.multivariate.drifted,
      },
    }),
  };
}

export function formatJson(report: DriftReport): string {
  return `${JSON.stringify(driftReportJson(report), null, 2)}\n`;
}
