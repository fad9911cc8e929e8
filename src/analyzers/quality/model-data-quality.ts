/** One model version's data-quality state: what the analyzer updates and its metrics read. */
import type { ModelKey } from '../model-series.js';
import type { FeatureChecks } from './feature-checks.js';

export interface ModelDataQuality {
  /** The model version (its value rings are found by it). */
  key: ModelKey;
  checks?: FeatureChecks;
  /** `${segment}\u0000${kind}` → issues, when segments are configured. */
  segmented: Map<string, number>;
  /** Per window: kind → ratio, for the applicable kinds (computed on tick). */
  ratios: Map<number, number>[];
  /** Per window: slot → summary stats (computed on tick). */
  summaries: Map<number, Float64Array>[];
}
