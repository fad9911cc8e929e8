/**
 * The `quality` section (data quality, label join, model quality, CBPE, concept drift, segments,
 * fairness) and the top-level `custom_metrics` list. Part of the one config schema (schema.ts).
 */
import * as z from 'zod';
import { windowSchema } from './drift-schema.js';
import { duration } from './units.js';

const featureBounds = z
  .object({ min: z.number().optional(), max: z.number().optional() })
  .strict()
  .refine((b) => b.min === undefined || b.max === undefined || b.min <= b.max, { message: 'min must not exceed max' });

export const dataQualitySchema = z
  .object({
    enabled: z.boolean().default(true),
    /** Widens the reference [min, max] by this fraction of its width on each side before out_of_range counts. */
    range_tolerance: z.number().nonnegative().default(0.1),
    /** Explicit valid ranges per feature; they replace the reference range. */
    bounds: z.record(z.string(), featureBounds).default({}),
    /** Request ids remembered for duplicate_request_id (oldest forgotten first). */
    max_request_ids: z.number().int().positive().default(10_000),
    /** Names of unexpected features counted per model before the rest fold into `__overflow__`. */
    max_unexpected_features: z.number().int().positive().default(20),
  })
  .strict();

export const labelJoinSchema = z
  .object({
    /** Predictions held while they wait for their label. */
    max_entries: z.number().int().positive().default(100_000),
    /** How long a prediction waits for its label. */
    ttl: duration.default(3600),
    /** How long a label that came before its prediction waits for it. */
    grace: duration.default(60),
    /** Labels waiting for their prediction (and joined ids remembered for duplicates). */
    max_early_labels: z.number().int().positive().default(10_000),
    /** Upper bounds, in seconds, of the label delay histogram. */
    delay_buckets: z.array(z.number().positive()).min(1).default([1, 10, 60, 300, 900, 3600, 14_400, 86_400]),
  })
  .strict();

export const DETECTOR_NAMES = ['adwin', 'page_hinkley', 'ddm'] as const;

export const detectorConfigSchema = z
  .object({
    name: z.enum(DETECTOR_NAMES),
    /** Numeric options of the detector (adwin: delta; page_hinkley: minInstances, delta, threshold, alpha; ddm: minInstances, warningLevel, driftLevel). */
    options: z.record(z.string(), z.number()).default({}),
  })
  .strict();

export const fairnessSchema = z
  .object({
    /** The protected attribute: a feature name. */
    attribute: z.string().min(1),
    /** The favourable prediction (a class); default: quality.positive_class. */
    favourable_outcome: z.string().min(1).optional(),
    /** The privileged group's value; unset: metrics compare the best and worst groups. */
    privileged: z.string().optional(),
  })
  .strict();

export const qualitySchema = z
  .object({
    enabled: z.boolean().default(true),
    /** auto: classification when predictions are strings, scores are logged or classes are set. */
    task: z.enum(['auto', 'classification', 'regression']).default('auto'),
    /** Class names in score-vector order; unset: learned from the stream (capped by max_classes). */
    classes: z.array(z.string().min(1)).min(2).optional(),
    /** Binary classifiers: the class a single logged score is the probability of. */
    positive_class: z.string().min(1).default('1'),
    /** Binary classifiers: the decision threshold on the score (CBPE's ŷ = score ≥ threshold). */
    threshold: z.number().min(0).max(1).default(0.5),
    /** Distinct classes per model before the rest fold into `__other__`. */
    max_classes: z.number().int().min(2).default(20),
    /** Windows over joined labels; unset: drift.windows. */
    windows: z.array(windowSchema).min(1).optional(),
    /** Joined pairs (or scores) kept per time window; a busier window keeps only the newest. */
    max_window_pairs: z.number().int().positive().default(10_000),
    /** Windows with fewer joined pairs report their size but no metrics. */
    min_samples: z.number().int().positive().default(10),
    /** Reference column holding the binary positive-class score (ROC AUC baseline, CBPE calibration). */
    score_column: z.string().min(1).optional(),
    /** Multiclass: reference columns holding each class's score, in `classes` order (CBPE calibration per class). */
    score_columns: z.array(z.string().min(1)).min(2).optional(),
    data_quality: dataQualitySchema.default(() => dataQualitySchema.parse({})),
    labels: labelJoinSchema.default(() => labelJoinSchema.parse({})),
    cbpe: z
      .object({
        enabled: z.boolean().default(true),
        /**
         * Isotonic calibration of the scores on the reference scores and labels, when present: `auto`
         * when a cross-validated check on the reference says it lowers the calibration error, `true`
         * always, `false` never.
         */
        calibrate: z.union([z.boolean(), z.literal('auto')]).default('auto'),
      })
      .strict()
      .default({ enabled: true, calibrate: 'auto' }),
    /** Concept-drift detectors fed the per-record errors of joined labels. */
    detectors: z.array(detectorConfigSchema).default([{ name: 'adwin', options: {} }]),
    /** Regression: an absolute error above this is a miss for 0/1 detectors (ddm); unset: ddm is skipped. */
    miss_threshold: z.number().positive().optional(),
    segments: z
      .object({
        /** Feature names whose values slice model and data quality. */
        fields: z.array(z.string().min(1)).default([]),
        /** Values per field before the rest fold into `__other__`. */
        max_values: z.number().int().positive().default(10),
      })
      .strict()
      .default({ fields: [], max_values: 10 }),
    fairness: fairnessSchema.optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.score_columns === undefined) return;
    if (q.score_column !== undefined) ctx.addIssue({ code: 'custom', path: ['score_columns'], message: 'set score_column (binary) or score_columns (multiclass), not both' });
    // Columns are matched to classes by position: the class list says which column is which.
    if (q.classes?.length !== q.score_columns.length) {
      ctx.addIssue({ code: 'custom', path: ['score_columns'], message: `needs quality.classes with one class per column (${q.score_columns.length} columns, ${q.classes?.length ?? 'no'} classes)` });
    }
  });

export const CUSTOM_METRIC_TYPES = ['histogram', 'counter', 'gauge'] as const;

export const customMetricSchema = z
  .object({
    /** Becomes modelwatch_custom_<name>[_<unit>][_total]. */
    name: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'lower-case letters, digits and _'),
    /** Where the value sits in the raw log record (dotted path or JSON pointer). */
    path: z.string().min(1),
    type: z.enum(CUSTOM_METRIC_TYPES),
    /** Histogram bucket upper bounds, in the exported unit. */
    buckets: z.array(z.number()).min(1).optional(),
    /** Base unit suffix: seconds, bytes, tokens, ratio, … */
    unit: z.string().regex(/^[a-z][a-z0-9_]*$/, 'lower-case letters, digits and _').optional(),
    /** Multiplies the logged value (0.001 turns a field in ms into seconds). */
    scale: z.number().positive().default(1),
    /** Extra label name → path of a log field whose value becomes the label (capped per metric). */
    labels: z.record(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/), z.string().min(1)).default({}),
    /** Distinct label value combinations before they fold into `__overflow__`. */
    max_series: z.number().int().positive().default(50),
  })
  .strict();

export type QualityConfig = z.infer<typeof qualitySchema>;
export type DataQualityConfig = z.infer<typeof dataQualitySchema>;
export type LabelJoinConfig = z.infer<typeof labelJoinSchema>;
export type DetectorConfig = z.infer<typeof detectorConfigSchema>;
export type FairnessConfig = z.infer<typeof fairnessSchema>;
export type CustomMetricConfig = z.infer<typeof customMetricSchema>;
