/**
 * Feature rows from the two shapes logs use: an object of name → value, or a positional array
 * whose names come from config `feature_names` (positions beyond the names become `f<i>`).
 */
import type { FeatureValue } from './model-record.js';
import { isPlainObject, toFeatureValue } from './values.js';

export type FeatureRow = Record<string, FeatureValue>;

/** Non-scalar values are skipped (absent keys are missing values); `__proto__` is never a feature. */
export function featuresFromObject(source: Record<string, unknown>): FeatureRow {
  const row: FeatureRow = {};
  for (const key of Object.keys(source)) {
    if (key === '__proto__') continue;
    const v = toFeatureValue(source[key]);
    if (v !== undefined) row[key] = v;
  }
  return row;
}

export function featuresFromArray(values: readonly unknown[], names: readonly string[] | undefined): FeatureRow {
  const row: FeatureRow = {};
  for (let i = 0; i < values.length; i++) {
    const v = toFeatureValue(values[i]);
    if (v !== undefined) row[featureName(names, i)] = v;
  }
  return row;
}

/** Positional name: the configured one, or `f<i>`. */
export function featureName(names: readonly string[] | undefined, i: number): string {
  const name = names?.[i];
  return name === undefined || name === '__proto__' ? `f${i}` : name;
}

/** An object or array of features; undefined for anything else (the caller's `missing_features`). */
export function featuresFromValue(value: unknown, names: readonly string[] | undefined): FeatureRow | undefined {
  if (Array.isArray(value)) return featuresFromArray(value, names);
  if (isPlainObject(value)) return featuresFromObject(value);
  return undefined;
}
