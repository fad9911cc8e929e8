/**
 * The quality analyzers' windows. Their reference (profile and label/prediction/score columns) comes
 * from windows/reference-loader.ts: one parse of the file per config, shared with the drift analyzer.
 */
import type { Config } from '../../config/schema.js';
import { windowSpecs } from '../drift.js';
import type { WindowSpec } from '../../windows/feature-drift.js';

/** quality.windows, else drift.windows, as window specs. */
export function qualityWindowSpecs(config: Config): WindowSpec[] {
  return windowSpecs({ ...config.drift, windows: config.quality.windows ?? config.drift.windows });
}
