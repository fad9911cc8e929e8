/**
 * Records → numeric vectors for multivariate drift, as scikit-learn's pipeline does it: numeric
 * features imputed with the reference mean (SimpleImputer(strategy="mean")) and standardised
 * (StandardScaler: population standard deviation of the imputed column, 1 where it is 0);
 * categorical features imputed with the reference's most frequent category (ties: the smallest,
 * as SimpleImputer(strategy="most_frequent")) and one-hot encoded over the reference's categories
 * in sorted order (OneHotEncoder(handle_unknown="ignore"): an unknown category is all zeros).
 * Past `maxCategories` only the most frequent reference categories get a column.
 */

export type EncodedValue = number | string | boolean | null | undefined;

export interface NumericEncoding {
  name: string;
  type: 'numeric';
  mean: number;
  scale: number;
}

export interface CategoricalEncoding {
  name: string;
  type: 'categorical';
  mode: string;
  categories: string[];
}

export type FeatureEncoding = NumericEncoding | CategoricalEncoding;

export interface RecordEncoder {
  features: FeatureEncoding[];
  /** Columns of an encoded record. */
  width: number;
}

/** null, undefined, '', 'NA', 'null', 'NaN' and non-finite numbers are missing (as in the reference profile). */
function missing(v: EncodedValue): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'number') return !Number.isFinite(v);
  if (typeof v === 'string') return v === '' || v === 'NA' || v === 'null' || v === 'NaN';
  return false;
}

/** The number a value encodes to (NaN: missing, imputed with the mean). */
export function numericValue(v: EncodedValue): number {
  if (missing(v)) return NaN;
  const x = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(x) ? x : NaN;
}

/** The category a value encodes to (undefined: missing, imputed with the mode). */
export function categoryValue(v: EncodedValue): string | undefined {
  return missing(v) ? undefined : String(v);
}

/** Encodes one record (values in the encoder's feature order) into `out`. */
export function encodeInto(encoder: RecordEncoder, value: (feature: number) => EncodedValue, out: Float64Array, index?: Map<string, number>[]): void {
  const features = encoder.features;
  let at = 0;
  for (let i = 0; i < features.length; i++) {
    const f = features[i];
    if (f.type === 'numeric') {
      const v = value(i);
      // The common case first: a finite number needs no conversion.
      const x = typeof v === 'number' && v - v === 0 ? v : numericValue(v);
      out[at++] = ((x === x ? x : f.mean) - f.mean) / f.scale;
      continue;
    }
    const width = f.categories.length;
    out.fill(0, at, at + width);
    const category = categoryValue(value(i)) ?? f.mode;
    const k = index ? index[i].get(category) : f.categories.indexOf(category);
    if (k !== undefined && k >= 0) out[at + k] = 1;
    at += width;
  }
}

/** Category → column lookups, one map per feature (built once, used per record). */
export function categoryIndex(encoder: RecordEncoder): Map<string, number>[] {
  return encoder.features.map((f) => new Map(f.type === 'categorical' ? f.categories.map((c, k) => [c, k] as [string, number]) : []));
}
