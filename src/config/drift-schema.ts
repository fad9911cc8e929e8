/**
 * The `reference`, `features` and `drift` sections: what "normal" looks like and how far from it
 * counts as drift. Part of the one config schema (imported by schema.ts).
 */
import * as z from 'zod';
import { DEFAULT_DRIFT_METHOD_NAMES, DRIFT_METHOD_NAMES } from '../stats/methods/method.js';
import { duration } from './units.js';

// The method names come from stats, so config cannot know a method stats does not.
export { DRIFT_METHOD_NAMES };
const methodName = z.enum(DRIFT_METHOD_NAMES);
/** A fixed threshold, or `auto`: calibrated to drift.false_alarm_rate (docs/drift-methods.md). */
const thresholdValue = z.union([z.number().nonnegative(), z.literal('auto')]);
/** Per method, or `auto` for every method. */
const thresholds = z.union([z.literal('auto'), z.partialRecord(methodName, thresholdValue)]);

export const referenceSchema = z
  .object({
    /** Training data (CSV, JSONL, Parquet) or a saved profile (.json from `modelwatch profile`). */
    path: z.string().min(1).optional(),
    /** Without a path: the first N records of each model become its reference (warm-up baseline). */
    warmup_records: z.number().int().positive().default(1000),
    /** Column of the training file holding the model's prediction (for prediction drift). */
    prediction_column: z.string().optional(),
    /** Column holding the ground truth (for the model's reference quality). */
    label_column: z.string().optional(),
  })
  .strict();

export const featureSchema = z
  .object({
    name: z.string().min(1),
    type: z.enum(['numeric', 'categorical']).optional(),
    /** Methods computed for this feature (default: drift.methods, restricted to the feature's type). */
    methods: z.array(methodName).optional(),
    /** The method whose verdict sets modelwatch_feature_drifted (default: drift.primary_method). */
    primary_method: methodName.optional(),
    thresholds: thresholds.optional(),
  })
  .strict();

export const windowSchema = z
  .object({
    /** The `window` label value (default: the duration, e.g. "5m", or "last_1000"). */
    name: z.string().regex(/^[a-zA-Z0-9_]+$/).optional(),
    duration: duration.optional(),
    count: z.number().int().positive().optional(),
  })
  .strict()
  .refine((w) => (w.duration === undefined) !== (w.count === undefined), { message: 'a window has either a duration or a count' });

export const multivariateSchema = z
  .object({
    /** Data-reconstruction (PCA) drift over all features together (needs two or more features). */
    enabled: z.boolean().default(true),
    /** Share of the encoded reference's variance the principal components keep. */
    explained_variance: z.number().gt(0).lt(1).default(0.65),
    /** `std`: reference mean ± std_multiplier standard deviations (NannyML); `auto`: calibrated to false_alarm_rate. */
    threshold: z.enum(['std', 'auto']).default('std'),
    std_multiplier: z.number().positive().default(3),
  })
  .strict();

export const driftSchema = z
  .object({
    enabled: z.boolean().default(true),
    windows: z.array(windowSchema).min(1).default([{ duration: 300 }, { duration: 3600 }]),
    bins: z.number().int().min(2).max(1000).default(10),
    methods: z.array(methodName).min(1).default([...DEFAULT_DRIFT_METHOD_NAMES]),
    primary_method: methodName.default('psi'),
    thresholds: thresholds.default({}),
    /** α of `auto` thresholds: the probability that a window drawn like the reference is called drifted. */
    false_alarm_rate: z.number().gt(0).max(0.5).default(0.01),
    /** Seconds of `auto` calibration one drift tick may start (the rest waits for later ticks). */
    calibration_budget: z.number().nonnegative().default(0.5),
    /** Windows with fewer non-missing observations report their size but no verdict. */
    min_samples: z.number().int().positive().default(100),
    /** Drift is computed on this tick, off the scrape path. */
    interval: duration.default(15),
    /** The dataset is drifted when at least this share of features with a verdict drifted. */
    dataset_drift_share: z.number().min(0).max(1).default(0.5),
    /** Categories per categorical feature before the rest fold into `__other__`. */
    max_categories: z.number().int().min(2).default(50),
    /** A category keeps its own bin when its expected count on the smaller side (pooled counts) is at least this; the rest share one. */
    min_category_count: z.number().int().min(1).default(5),
    /** Raw values kept per time window for KS and Wasserstein (bin counts are always exact). */
    max_window_values: z.number().int().positive().default(10_000),
    /** Reference values kept (seeded reservoir, sorted) for KS and Wasserstein. */
    max_reference_values: z.number().int().positive().default(100_000),
    multivariate: multivariateSchema.default(() => multivariateSchema.parse({})),
  })
  .strict();

export type ReferenceConfig = z.infer<typeof referenceSchema>;
export type FeatureConfig = z.infer<typeof featureSchema>;
export type WindowConfig = z.infer<typeof windowSchema>;
export type DriftConfig = z.infer<typeof driftSchema>;
export type MultivariateConfig = z.infer<typeof multivariateSchema>;

export type ThresholdValue = z.infer<typeof thresholdValue>;
export type ThresholdsConfig = z.infer<typeof thresholds>;

/**
 * The threshold setting of every method for one feature: the feature's own (a method's entry, or
 * `auto` for all) over drift.thresholds (likewise); methods named nowhere are left out (default).
 */
export function featureThresholds(drift: Pick<DriftConfig, 'thresholds'>, feature?: Pick<FeatureConfig, 'thresholds'>): Partial<Record<(typeof DRIFT_METHOD_NAMES)[number], ThresholdValue>> {
  const expand = (t: ThresholdsConfig | undefined) => (t === 'auto' ? Object.fromEntries(DRIFT_METHOD_NAMES.map((m) => [m, 'auto' as const])) : (t ?? {}));
  return { ...expand(drift.thresholds), ...expand(feature?.thresholds) };
}
