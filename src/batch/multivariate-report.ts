/**
 * The batch report's multivariate drift: the data-reconstruction model (stats/multivariate) fitted
 * on every feature of the reference table, the current table's mean reconstruction error, and
 * NannyML's band (reference mean ± 3 sd/√n) at the current table's size, or with `threshold: auto`
 * (the config's drift.multivariate) the sidecar's one-sided bound calibrated to the false-alarm rate.
 * Ten consecutive chunks of the current rows are scored too, each against the band at its own size,
 * for the HTML chart.
 */
import {
  fitReconstruction,
  meanReconstructionError,
  reconstructionAutoThreshold,
  reconstructionBand,
} from '../stats/multivariate/pca-reconstruction.js';
import type { ReconstructionModel } from '../stats/multivariate/reconstruction-model.js';
import type { EncodedValue } from '../stats/multivariate/record-encoder.js';
import type { FeatureType } from '../stats/methods/index.js';
import { MISSING_CODE, type Column } from '../tables/column.js';

export interface ChunkScore {
  /** First and last current row (0-based, inclusive). */
  start: number;
  end: number;
  score: number;
  lower: number;
  upper: number;
}

export interface MultivariateReport {
  method: 'pca_reconstruction';
  features: string[];
  components: number;
  explainedVariance: number;
  referenceMean: number;
  score: number;
  lower: number;
  upper: number;
  /** `std`: the reference mean ± stdMultiplier sd/√n (NannyML); `auto`: calibrated to α, upper only. */
  threshold: 'std' | 'auto';
  drifted: boolean;
  chunks: ChunkScore[];
}

/** What the config's drift.multivariate (and drift.false_alarm_rate) says; the defaults are NannyML's. */
export interface MultivariateOptions {
  explainedVariance?: number;
  maxCategories?: number;
  threshold?: 'std' | 'auto';
  stdMultiplier?: number;
  falseAlarmRate?: number;
}

/** The bounds for a mean over n rows, as the sidecar's windows read them (windows/multivariate-drift.ts). */
function bounds(model: ReconstructionModel, n: number, options: MultivariateOptions): { lower: number; upper: number } {
  if (options.threshold === 'auto') return { lower: 0, upper: reconstructionAutoThreshold(model, n, options.falseAlarmRate ?? 0.01) };
  return reconstructionBand(model, n, options.stdMultiplier ?? 3);
}

export const CHUNKS = 10;

function values(column: Column): EncodedValue[] {
  if (column.kind === 'numeric') return Array.from(column.values, (v) => (Number.isNaN(v) ? null : v));
  return Array.from(column.codes, (code) => (code === MISSING_CODE ? null : column.dictionary[code]));
}

/** Undefined with fewer than two features or no variance to model. */
export function multivariateReport(
  features: readonly { reference: Column; current: Column; type: FeatureType }[],
  options: MultivariateOptions = {},
): MultivariateReport | undefined {
  if (features.length < 2) return undefined;
  const model = fitReconstruction(
    features.map((f) => ({ name: f.reference.name, type: f.type, values: values(f.reference) })),
    { explainedVariance: options.explainedVariance, maxCategories: options.maxCategories },
  );
  if (!model) return undefined;
  const current = features.map((f) => values(f.current));
  const { mean, errors } = meanReconstructionError(model, current);
  const { lower, upper } = bounds(model, errors.length, options);
  const chunks: ChunkScore[] = [];
  const size = Math.ceil(errors.length / CHUNKS);
  for (let start = 0; start < errors.length; start += size) {
    const end = Math.min(errors.length, start + size);
    let sum = 0;
    for (let i = start; i < end; i++) sum += errors[i];
    chunks.push({ start, end: end - 1, score: sum / (end - start), ...bounds(model, end - start, options) });
  }
  return {
    method: model.method,
    features: model.encoder.features.map((f) => f.name),
    components: model.components.length,
    explainedVariance: model.explainedVariance,
    referenceMean: model.referenceMean,
    score: mean,
    lower,
    upper,
    threshold: options.threshold ?? 'std',
    drifted: mean > upper || mean < lower,
    chunks,
  };
}
