/**
 * Batch drift of two tables: every column present in both is a feature; each applicable method is
 * run with its default threshold, the primary method (psi unless --methods leaves it out) decides
 * whether the feature drifted, and the dataset drifted when at least half the features did.
 * Pure: tables in, report out. A feature with no values on either side gets no verdict (null values,
 * not drifted).
 */
import { toProportions } from '../stats/proportions.js';
import { DRIFT_METHODS, PRIMARY_METHOD, drifted, type DriftMethodName, type DriftResult, type FeatureType, type MethodDescriptor } from '../stats/methods/index.js';
import { asCategorical, type Column, type Table } from '../tables/column.js';
import { categoryBins, numericBins, numericSamples, type FeatureBins, type NumericSamples } from './feature-bins.js';

export interface DriftOptions {
  bins: number;
  /** Methods to run; undefined = all applicable. */
  methods?: readonly DriftMethodName[];
  /** Columns treated as categorical even when every value is a number. */
  categorical: readonly string[];
  maxCategories: number;
  /** Share of drifted features at which the dataset counts as drifted. */
  datasetShare: number;
}

export const DEFAULT_DRIFT_OPTIONS: DriftOptions = { bins: 10, categorical: [], maxCategories: 1000, datasetShare: 0.5 };

export interface MethodOutcome {
  method: MethodDescriptor;
  result: DriftResult | undefined;
  threshold: number;
  drifted: boolean;
}

export interface FeatureDrift {
  name: string;
  type: FeatureType;
  nReference: number;
  nCurrent: number;
  missingReference: number;
  missingCurrent: number;
  primaryMethod: DriftMethodName;
  drifted: boolean;
  methods: MethodOutcome[];
  bins: FeatureBins;
}

export interface DriftReport {
  features: FeatureDrift[];
  driftedFeatures: number;
  driftShare: number;
  drifted: boolean;
}

export class DriftInputError extends Error {}

function runMethod(method: MethodDescriptor, bins: FeatureBins, samples: NumericSamples | undefined): DriftResult | undefined {
  if (bins.referenceTotal === 0 || bins.currentTotal === 0) return undefined;
  switch (method.kind) {
    case 'proportions':
      return method.compute(toProportions(bins.reference, bins.referenceTotal), toProportions(bins.current, bins.currentTotal));
    case 'counts':
      return method.compute(bins.reference, bins.current, bins.referenceTotal, bins.currentTotal);
    case 'samples':
      return samples ? method.compute(samples.refSorted, samples.current, { currentSorted: true }) : undefined;
  }
}

export function featureDrift(reference: Column, current: Column, options: DriftOptions): FeatureDrift {
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
  const applicable = DRIFT_METHODS.filter(
    (m) => m.types.includes(type) && (options.methods === undefined || options.methods.includes(m.name)),
  );
  const methods = applicable.map((method): MethodOutcome => {
    const result = runMethod(method, bins, samples);
    const threshold = method.defaultThreshold;
    return { method, result, threshold, drifted: drifted(result, method, threshold) };
  });
  const primary = methods.find((m) => m.method.name === PRIMARY_METHOD) ?? methods[0];
  return {
    name: reference.name,
    type,
    nReference: bins.referenceTotal,
    nCurrent: bins.currentTotal,
    missingReference: reference.missing,
    missingCurrent: current.missing,
    primaryMethod: primary?.method.name ?? PRIMARY_METHOD,
    drifted: primary?.drifted ?? false,
    methods,
    bins,
  };
}

export function computeDriftReport(reference: Table, current: Table, options: DriftOptions = DEFAULT_DRIFT_OPTIONS): DriftReport {
  if (reference.rowCount === 0) throw new DriftInputError('the reference data has no rows');
  if (current.rowCount === 0) throw new DriftInputError('the current data has no rows');
  const currentByName = new Map(current.columns.map((c) => [c.name, c]));
  const pairs = reference.columns.filter((c) => currentByName.has(c.name));
  if (pairs.length === 0) throw new DriftInputError('the reference and current data have no column in common');
  const features = pairs.map((ref) => featureDrift(ref, currentByName.get(ref.name)!, options));
  const driftedFeatures = features.filter((f) => f.drifted).length;
  const driftShare = driftedFeatures / features.length;
  return { features, driftedFeatures, driftShare, drifted: driftShare >= options.datasetShare };
}
