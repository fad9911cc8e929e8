/**
 * The reference as the quality analyzers see it: the profile (per-feature ranges and categories, for
 * data quality) and, when the file is training data, its label, prediction and score columns (for
 * the model's reference quality and CBPE calibration). Both come from one parse of the file per
 * config (windows/reference-loader.ts), shared with the drift analyzer.
 */
import type { Config } from '../../config/schema.js';
import { windowSpecs } from '../drift.js';
import type { WindowSpec } from '../../windows/feature-drift.js';
import { referenceColumnsOf, referenceOf, type ReferenceColumns } from '../../windows/reference-loader.js';
import type { ReferenceProfile } from '../../windows/reference-profile.js';

export function referenceProfile(config: Config): ReferenceProfile | undefined {
  return referenceOf(config);
}

export type { ReferenceColumns };

/** Undefined without a training file holding both the label and the prediction column. */
export function referenceColumns(config: Config): ReferenceColumns | undefined {
  return referenceColumnsOf(config);
}

/** quality.windows, else drift.windows, as window specs. */
export function qualityWindowSpecs(config: Config): WindowSpec[] {
  return windowSpecs({ ...config.drift, windows: config.quality.windows ?? config.drift.windows });
}
