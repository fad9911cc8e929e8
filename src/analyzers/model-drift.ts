/** One model version's drift state: what the drift analyzer updates and its metrics read. */
import type { CachedJson } from '../core/cached-json.js';
import type { ColumnPositions } from '../core/feature-columns.js';
import type { FeatureDrift } from '../windows/feature-drift.js';
import type { MultivariateDrift } from '../windows/multivariate-drift.js';
import type { ReferenceProfile } from '../windows/reference-profile.js';
import type { WarmupRows } from '../windows/warmup-rows.js';
import type { ModelKey } from './model-series.js';
import type { StagedRecords } from './staged-records.js';

export interface ModelDrift {
  /** The model version (its value rings are found by it). */
  key: ModelKey;
  features: Map<string, FeatureDrift>;
  /** The same features as parallel arrays: the per-record loop walks these, not the Map. */
  featureNames: string[];
  featureDrifts: FeatureDrift[];
  /** Where featureNames sit in a lent record's columns. */
  positions?: ColumnPositions;
  /** Records on their way into the feature windows (set with the windows, after the warm-up). */
  staged?: StagedRecords;
  prediction?: FeatureDrift;
  /** The predictions on their way into the prediction's windows (records with one). */
  stagedPredictions?: StagedRecords;
  /** Data-reconstruction drift over all features together (a reference with two or more features). */
  multivariate?: MultivariateDrift;
  /** Per window: share of features with a verdict that drifted (undefined: no verdict yet). */
  datasetShare: (number | undefined)[];
  /** The warm-up records while they are collected (no reference file). */
  warmup?: WarmupRows;
  /** Rows of the reference this model version is compared with (training file or warm-up); unset during warm-up. */
  referenceRows?: number;
  /** The reference this model version built from its warm-up records (none with a reference file); its JSON is built once. */
  warmupProfile?: CachedJson<ReferenceProfile>;
}
