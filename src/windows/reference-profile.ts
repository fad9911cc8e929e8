/**
 * A reference profile: what each feature looked like in training (or in the warm-up records),
 * computed once and saved as JSON so reference statistics are never recomputed per window.
 * Numeric: quantile bin edges and counts, a seeded sample (sorted) for KS/Wasserstein, summary
 * statistics. Categorical: the top-K category counts plus the count folded into `__other__`.
 */
import { quantileEdges } from '../stats/quantile-edges.js';
import { mulberry32 } from '../stats/random.js';
import { sortFloat64 } from '../stats/sort.js';
import { columnLength, isCoded, pickRows, type ColumnValues } from '../stats/multivariate/column-values.js';
import { fitReconstruction } from '../stats/multivariate/pca-reconstruction.js';
import type { ReconstructionModel } from '../stats/multivariate/reconstruction-model.js';

export const PROFILE_SCHEMA_VERSION = 1;

export interface NumericProfile {
  type: 'numeric';
  n: number;
  missing: number;
  min: number;
  max: number;
  mean: number;
  /** Population standard deviation (ddof = 0). */
  std: number;
  edges: number[];
  /** Observations per bin, edges.length + 1 bins. */
  counts: number[];
  /**
   * Sorted seeded sample of at most max_reference_values values: an array as a profile file has it,
   * a SampleValues when built here (the drift windows' reference is then this array itself).
   */
  sample: readonly number[] | Float64Array;
}

/**
 * A built profile's sample: a Float64Array (8 B a value off the V8 heap) that the drift analyzer
 * compares with as it is, where an array of numbers took 8 B a value of V8 heap for the profile
 * plus a Float64Array copy of it per feature (2 × 1.3 MB for the bench's 16 numeric columns of
 * 10,000). Written to JSON as the array a profile file holds.
 */
export class SampleValues extends Float64Array {
  toJSON(): number[] {
    return Array.from(this);
  }
}

export interface CategoricalProfile {
  type: 'categorical';
  n: number;
  missing: number;
  categories: string[];
  counts: number[];
  /** Observations of categories beyond the top K. */
  other: number;
}

export type FeatureProfile = NumericProfile | CategoricalProfile;

export interface ReferenceProfile {
  schema_version: typeof PROFILE_SCHEMA_VERSION;
  created_at: string;
  source: string;
  rows: number;
  bins: number;
  features: Record<string, FeatureProfile>;
  /** The model's output in the reference data, for prediction drift. */
  prediction?: FeatureProfile;
  /** Multivariate drift: the encoder and principal axes fitted on the reference rows (two or more features). */
  reconstruction?: ReconstructionModel;
}

export type RawValue = number | string | boolean | null | undefined;

/** null, undefined, '', 'NA', 'null', 'NaN' and non-finite numbers are missing. */
export function isMissing(v: RawValue): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'number') return !Number.isFinite(v);
  if (typeof v === 'string') return v === '' || v === 'NA' || v === 'null' || v === 'NaN';
  return false;
}

/**
 * A reference column: raw values, or the warm-up's typed columns read in place (a Float64Array of
 * numbers, NaN where missing; codes into distinct values) — see stats/multivariate/column-values.ts.
 */
export type ReferenceValues = ColumnValues;

/** A numeric column: every non-missing value is a finite number (or a numeric string, from CSV). */
export function inferType(values: ReferenceValues): 'numeric' | 'categorical' {
  if (values instanceof Float64Array) {
    for (let r = 0; r < values.length; r++) if (values[r] - values[r] === 0) return 'numeric';
    return 'categorical';
  }
  let any = false;
  // A coded column's distinct values are the values it holds (each code is used).
  for (const v of isCoded(values) ? values.distinct : values) {
    if (isMissing(v)) continue;
    any = true;
    if (typeof v === 'number') continue;
    if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) continue;
    return 'categorical';
  }
  return any ? 'numeric' : 'categorical';
}

export interface ProfileOptions {
  bins: number;
  maxCategories: number;
  maxSample: number;
  seed?: number;
  /** Fit the multivariate reconstruction model on (at most maxSample) reference rows. */
  reconstruction?: { explainedVariance: number; features?: readonly string[] };
}

/** The number a raw value of a numeric feature stands for; NaN (missing) for no finite number. */
function numberOf(v: RawValue): number {
  // A value of a numeric feature that is no finite number (text, a boolean, '1e999') is left out
  // as missing, as the live windows leave it out: a NaN in the sorted sample would break the
  // quantile edges and the sample methods' merge walks.
  const x = isMissing(v) ? NaN : typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(x) ? x : NaN;
}

/**
 * `scratch` (at least the column's length), when given, holds the finite values while they are
 * sorted: one buffer for every column of a reference instead of a sorted copy of each.
 */
export function profileNumeric(values: ReferenceValues, o: ProfileOptions, scratch?: Float64Array): NumericProfile {
  const rows = columnLength(values);
  const finite = scratch && scratch.length >= rows ? scratch : new Float64Array(rows);
  let n = 0;
  if (values instanceof Float64Array) {
    for (let r = 0; r < rows; r++) {
      const x = values[r];
      if (x - x === 0) finite[n++] = x;
    }
  } else if (isCoded(values)) {
    const byCode = Float64Array.from(values.distinct, numberOf);
    for (let r = 0; r < rows; r++) {
      const x = byCode[values.codes[r]];
      if (x === x) finite[n++] = x;
    }
  } else {
    for (let r = 0; r < rows; r++) {
      const x = numberOf(values[r]);
      if (x === x) finite[n++] = x;
    }
  }
  const missing = rows - n;
  const sorted = sortFloat64(finite.subarray(0, n));
  let mean = 0;
  for (let i = 0; i < n; i++) mean += sorted[i];
  mean = n > 0 ? mean / n : 0;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (sorted[i] - mean) ** 2;
  const edges = n > 0 ? quantileEdges(sorted, o.bins) : new Float64Array(0);
  // The values ascend, so each one's bin (binIndex: the first edge ≥ it) is found by walking the
  // edges along with them, not by a binary search a value.
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (let i = 0, bin = 0; i < n; i++) {
    const x = sorted[i];
    while (bin < edges.length && edges[bin] < x) bin++;
    counts[bin]++;
  }
  return {
    type: 'numeric',
    n,
    missing,
    min: n > 0 ? sorted[0] : 0,
    max: n > 0 ? sorted[n - 1] : 0,
    mean,
    std: n > 0 ? Math.sqrt(ss / n) : 0,
    edges: [...edges],
    counts,
    sample: reservoir(sorted, o.maxSample, o.seed ?? 1),
  };
}

/** A seeded uniform sample without replacement, returned sorted (the input is sorted already). */
function reservoir(sorted: Float64Array, k: number, seed: number): SampleValues {
  if (sorted.length <= k) {
    const all = new SampleValues(sorted.length);
    all.set(sorted);
    return all;
  }
  const rand = mulberry32(seed);
  const picked = new SampleValues(k);
  for (let i = 0; i < k; i++) picked[i] = sorted[i];
  for (let i = k; i < sorted.length; i++) {
    const j = Math.floor(rand() * (i + 1));
    if (j < k) picked[j] = sorted[i];
  }
  return picked.sort();
}

export function categoryKey(v: RawValue): string {
  return typeof v === 'string' ? v : String(v);
}

export function profileCategorical(values: ReferenceValues, o: ProfileOptions): CategoricalProfile {
  const freq = new Map<string, number>();
  let missing = 0;
  const count = (v: RawValue, times: number) => {
    if (isMissing(v)) missing += times;
    else freq.set(categoryKey(v), (freq.get(categoryKey(v)) ?? 0) + times);
  };
  if (isCoded(values)) {
    // Counted by code, then once per distinct value (two values can share a key: 1 and '1').
    const perCode = new Float64Array(values.distinct.length);
    for (let r = 0; r < values.codes.length; r++) perCode[values.codes[r]]++;
    values.distinct.forEach((v, code) => count(v, perCode[code]));
  } else {
    for (let r = 0; r < values.length; r++) count(values[r], 1);
  }
  const ranked = [...freq].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const top = ranked.slice(0, o.maxCategories);
  const other = ranked.slice(o.maxCategories).reduce((s, [, c]) => s + c, 0);
  return {
    type: 'categorical',
    n: columnLength(values) - missing,
    missing,
    categories: top.map(([c]) => c),
    counts: top.map(([, c]) => c),
    other,
  };
}

export function profileColumn(values: ReferenceValues, type: 'numeric' | 'categorical' | undefined, o: ProfileOptions, scratch?: Float64Array): FeatureProfile {
  return (type ?? inferType(values)) === 'numeric' ? profileNumeric(values, o, scratch) : profileCategorical(values, o);
}

export interface BuildProfileInput {
  source: string;
  rows: number;
  columns: Map<string, ReferenceValues>;
  types?: Record<string, 'numeric' | 'categorical' | undefined>;
  predictionColumn?: string;
  /** Called after each column is profiled (for a progress bar). */
  onColumn?: (done: number, total: number, name: string) => void;
}

export function buildProfile(input: BuildProfileInput, o: ProfileOptions, now = new Date()): ReferenceProfile {
  const features: Record<string, FeatureProfile> = {};
  let prediction: FeatureProfile | undefined;
  let done = 0;
  // One buffer sorts every numeric column in turn (off the V8 heap, and garbage once, not per column).
  let rows = 0;
  for (const values of input.columns.values()) rows = Math.max(rows, columnLength(values));
  const scratch = new Float64Array(rows);
  for (const [name, values] of input.columns) {
    const p = profileColumn(values, input.types?.[name], o, scratch);
    if (name === input.predictionColumn) prediction = p;
    else features[name] = p;
    input.onColumn?.(++done, input.columns.size, name);
  }
  const reconstruction = o.reconstruction && reconstructionOf(input.columns, features, o);
  return { schema_version: PROFILE_SCHEMA_VERSION, created_at: now.toISOString(), source: input.source, rows: input.rows, bins: o.bins, features, prediction, reconstruction };
}

/** The multivariate model over the profiled features (row-aligned columns), on a seeded sample of at most maxSample rows. */
function reconstructionOf(columns: Map<string, ReferenceValues>, features: Record<string, FeatureProfile>, o: ProfileOptions): ReconstructionModel | undefined {
  const names = (o.reconstruction?.features ?? Object.keys(features)).filter((name) => features[name] !== undefined && columns.has(name));
  if (names.length < 2) return undefined;
  const rows = columnLength(columns.get(names[0])!);
  let keep: Uint32Array | undefined;
  if (rows > o.maxSample) {
    const rand = mulberry32(o.seed ?? 1);
    const order = Uint32Array.from({ length: rows }, (_, i) => i);
    for (let i = 0; i < o.maxSample; i++) {
      const j = i + Math.floor(rand() * (rows - i));
      [order[i], order[j]] = [order[j], order[i]];
    }
    keep = order.slice(0, o.maxSample).sort();
  }
  return fitReconstruction(
    names.map((name) => {
      const values = columns.get(name)!;
      return { name, type: features[name].type, values: keep ? pickRows(values, keep) : values };
    }),
    { explainedVariance: o.reconstruction?.explainedVariance, maxCategories: o.maxCategories },
  );
}
