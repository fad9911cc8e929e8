/**
 * The configuration schema: the single source of the Config type. Every object is strict, so an
 * unknown key is an error (the loader adds a did-you-mean). Durations and sizes resolve to base units.
 */
import * as z from 'zod';
import { driftSchema, featureSchema, referenceSchema } from './drift-schema.js';
import { duration, size } from './units.js';
import { resourcesSchema } from './resources-schema.js';
import { customMetricSchema, qualitySchema } from './quality-schema.js';

/** A field location in a JSON record: a dotted path (`a.b.0`) or a JSON pointer (`/a/b/0`). */
const fieldPath = z.string().min(1);

export const fieldsSchema = z
  .object({
    timestamp: fieldPath.default('timestamp'),
    request_id: fieldPath.default('request_id'),
    model: fieldPath.default('model'),
    version: fieldPath.default('model_version'),
    /** An object of name → value, or an array matched to `feature_names`. */
    features: fieldPath.default('features'),
    prediction: fieldPath.default('prediction'),
    scores: fieldPath.default('scores'),
    latency: fieldPath.default('latency_ms'),
    latency_unit: z.enum(['s', 'ms', 'us', 'ns']).default('ms'),
    status: fieldPath.default('status'),
    error: fieldPath.default('error'),
    /** Label records only: the ground-truth value. */
    label: fieldPath.default('label'),
  })
  .strict();

export const formatSchema = z
  .object({
    preset: z.enum(['generic', 'kserve', 'open-inference-v2']).default('generic'),
    fields: fieldsSchema.default(() => fieldsSchema.parse({})),
    /** Names for positional inputs: a feature array, KServe v1 `instances` rows, or v2 tensor columns. */
    feature_names: z.array(z.string().min(1)).optional(),
    /** v2 only: which input tensor holds the features (default: the first). */
    input_tensor: z.string().optional(),
    /** v2 only: which output tensor holds the prediction (default: the first). */
    output_tensor: z.string().optional(),
  })
  .strict();

const sourceCommon = {
  name: z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_-]*$/, 'a short name: letters, digits, _ and -').optional(),
  /** `records` carry predictions; `labels` carry delayed ground truth. */
  role: z.enum(['records', 'labels']).default('records'),
  format: formatSchema.default(() => formatSchema.parse({})),
  max_line_bytes: size.default(1024 * 1024),
};

export const fileSourceSchema = z
  .object({
    type: z.literal('file'),
    ...sourceCommon,
    /** Paths or globs (`*`, `?`, `**`); new files matching a glob are picked up while running. */
    paths: z.array(z.string().min(1)).min(1),
    start_at: z.enum(['beginning', 'end']).default('end'),
    // 5 s: what /metrics serves is the last checkpoint's snapshot (15 s apart), which reads what was
    // announced since the last poll first, so longer polls delay no line Prometheus sees; 1 s polls
    // cost ~0.2 % of a core more at 1,000 records/s, 250 ms 0.2–0.45 % more again (docs/performance.md).
    poll_interval: duration.default(5),
  })
  .strict();

export const stdinSourceSchema = z.object({ type: z.literal('stdin'), ...sourceCommon }).strict();

export const sourceSchema = z.discriminatedUnion('type', [fileSourceSchema, stdinSourceSchema]);

export const DEFAULT_LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export const LOG_FORMATS = ['auto', 'json', 'pretty'] as const;

/** Ten years: only a broken timestamp (epoch 0, seconds taken for days) is that old. */
export const DEFAULT_MAX_RECORD_AGE = 10 * 365 * 86400;

const checkpointSchema = z
  .object({
    /** Offsets file; unset keeps no checkpoint (a restart starts per `start_at`). */
    path: z.string().optional(),
    /**
     * 15 s: Prometheus' scrape interval and drift's tick. Each write rewrites the count windows
     * whole (at 1,000 records/s every slot has changed since the last): 5 s wrote 2.7× the
     * bytes at about the same CPU (docs/performance.md, "Checkpoints every 15 s").
     */
    interval: duration.default(15),
    /** Save windows, pending joins and exposed counter values with the offsets (exactly-once after a crash). */
    state: z.boolean().default(true),
  })
  .strict();

export const configSchema = z
  .object({
    server: z
      .object({
        listen: z.string().default('0.0.0.0:9847'),
        /** exporter-toolkit compatible web config (TLS, basic auth). */
        web_config_file: z.string().optional(),
      })
      .strict()
      .default({ listen: '0.0.0.0:9847' }),
    log: z
      .object({
        level: z.enum(LOG_LEVELS).default('info'),
        /** `auto`: pretty on a terminal, JSON lines otherwise. */
        format: z.enum(LOG_FORMATS).default('auto'),
      })
      .strict()
      .default({ level: 'info', format: 'auto' }),
    /** Used when a record names no model or version. */
    model: z
      .object({ name: z.string().min(1).default('model'), version: z.string().min(1).default('unknown') })
      .strict()
      .default({ name: 'model', version: 'unknown' }),
    sources: z.array(sourceSchema).default([]),
    ingest: z
      .object({
        enabled: z.boolean().default(true),
        max_body_bytes: size.default(10 * 1024 * 1024),
        /** When set, POST /v1/records, /v1/labels and CloudEvents need `Authorization: Bearer <token>`. */
        bearer_token: z.string().min(1).optional(),
        /** With basic auth on (web config), ingest needs credentials too unless this says otherwise. */
        allow_unauthenticated: z.boolean().default(false),
        format: formatSchema.default(() => formatSchema.parse({})),
        /** Mapping for KServe CloudEvents posted by the payload logger. */
        kserve_format: formatSchema.default(() => formatSchema.parse({ preset: 'kserve' })),
      })
      .strict()
      .default(() => ({
        enabled: true,
        allow_unauthenticated: false,
        max_body_bytes: 10 * 1024 * 1024,
        format: formatSchema.parse({}),
        kserve_format: formatSchema.parse({ preset: 'kserve' }),
      })),
    /** Requests and responses logged as separate lines are joined by request id. */
    pairing: z
      .object({ ttl: duration.default(60), max_pending: z.number().int().positive().default(100_000) })
      .strict()
      .default({ ttl: 60, max_pending: 100_000 }),
    metrics: z
      .object({
        latency_buckets: z.array(z.number().positive()).min(1).default(DEFAULT_LATENCY_BUCKETS),
        /** A model version not seen for this long is removed from /metrics rather than frozen. */
        stale_series_after: duration.default(86400),
        /** Longer label values (from log content) are cut, with a marker and a hash. */
        max_label_value_length: z.number().int().min(16).default(128),
        /** Label sets per metric family before the rest are left out (and counted). */
        max_series_per_metric: z.number().int().positive().default(10_000),
      })
      .strict()
      .default({ latency_buckets: DEFAULT_LATENCY_BUCKETS, stale_series_after: 86400, max_label_value_length: 128, max_series_per_metric: 10_000 }),
    /** The model server's own CPU, memory, I/O and GPU use (src/collectors). */
    resources: resourcesSchema.default(() => resourcesSchema.parse({})),
    reference: referenceSchema.default(() => referenceSchema.parse({})),
    /** The model's input features; when absent, taken from the reference (or the warm-up records). */
    features: z.array(featureSchema).optional(),
    drift: driftSchema.default(() => driftSchema.parse({})),
    /** Data quality, ground truth, model quality, CBPE, concept drift, segments, fairness. */
    quality: qualitySchema.default(() => qualitySchema.parse({})),
    /** Metrics read from raw log fields (tokens, time to first token, a logged confidence). */
    custom_metrics: z.array(customMetricSchema).default([]),
    /**
     * Record (and label) times are untrusted input: a time ahead of the clock is taken as now (past
     * max_future_skew also counted), one older than max_age or not a time at all is replaced by now
     * and counted, so no single record can move a time window.
     */
    record_time: z
      .object({ max_future_skew: duration.default(300), max_age: duration.default(DEFAULT_MAX_RECORD_AGE) })
      .strict()
      .default({ max_future_skew: 300, max_age: DEFAULT_MAX_RECORD_AGE }),
    checkpoint: checkpointSchema.default(() => checkpointSchema.parse({})),
  })
  .strict();

export type Config = z.infer<typeof configSchema>;
export type SourceConfig = z.infer<typeof sourceSchema>;
export type FileSourceConfig = z.infer<typeof fileSourceSchema>;
export type FormatConfig = z.infer<typeof formatSchema>;
export type FieldsConfig = z.infer<typeof fieldsSchema>;
