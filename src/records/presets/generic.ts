/**
 * Generic JSON lines: one object per line, one complete record per object. Every ModelRecord field
 * is found through the configured `fields.*` paths (dotted or JSON pointer):
 *
 *   {"timestamp":"2024-05-14T09:21:37.512Z","request_id":"r-1","model":"churn","model_version":"3",
 *    "features":{"tenure":12,"plan":"pro"},"prediction":1,"scores":0.83,"latency_ms":12.4,"status":200}
 *
 * `features` is an object of name → value, or an array named by `feature_names` (else `f<i>`).
 * `scores` is an array or one number (a binary model's positive-class score); a `prediction` that
 * is a score vector gives scores and its argmax. Latency is converted from `latency_unit` to
 * seconds. A missing model or version takes the configured default; a missing timestamp, now.
 */
import type { FieldsConfig } from '../../config/schema.js';
import { compileFieldPath } from '../field-path.js';
import { featuresFromValue } from '../features.js';
import type { ModelRecord } from '../model-record.js';
import { outputFromValue } from '../outputs.js';
import { parseTimestamp } from '../timestamps.js';
import { isPlainObject, toErrorReason, toFiniteNumber, toStatus, toText } from '../values.js';
import { NO_PAIR_STATS, type PresetContext, type RecordPreset } from './preset.js';

// Divided, not multiplied by 1e-3: one correctly rounded operation, where 1e-3 is itself inexact.
const UNITS_PER_SECOND: Record<FieldsConfig['latency_unit'], number> = { s: 1, ms: 1e3, us: 1e6, ns: 1e9 };

export function createGenericPreset(ctx: PresetContext): RecordPreset {
  const { fields, feature_names: names } = ctx.format;
  const get = {
    timestamp: compileFieldPath(fields.timestamp),
    requestId: compileFieldPath(fields.request_id),
    model: compileFieldPath(fields.model),
    version: compileFieldPath(fields.version),
    features: compileFieldPath(fields.features),
    latency: compileFieldPath(fields.latency),
    status: compileFieldPath(fields.status),
    error: compileFieldPath(fields.error),
  };
  const outputGetters = { prediction: compileFieldPath(fields.prediction), scores: compileFieldPath(fields.scores) };
  const latencyDivisor = UNITS_PER_SECOND[fields.latency_unit];

  return {
    map(value, out) {
      if (!isPlainObject(value)) return { error: 'not_object' };
      const features = featuresFromValue(get.features(value), names);
      if (features === undefined) return { error: 'missing_features' };
      const rawTime = get.timestamp(value);
      const timestamp = rawTime === undefined || rawTime === null ? ctx.clock.now() / 1000 : parseTimestamp(rawTime);
      if (timestamp === undefined) return { error: 'bad_timestamp' };
      const record: ModelRecord = {
        timestamp,
        model: toText(get.model(value)) ?? ctx.defaults.model,
        version: toText(get.version(value)) ?? ctx.defaults.version,
        features,
      };
      const requestId = toText(get.requestId(value));
      if (requestId !== undefined) record.requestId = requestId;
      const output = outputFromValue(value, outputGetters);
      if (output.prediction !== undefined) record.prediction = output.prediction;
      if (output.scores !== undefined) record.scores = output.scores;
      const latency = toFiniteNumber(get.latency(value));
      if (latency !== undefined && latency >= 0) record.latencySeconds = latency / latencyDivisor;
      const status = toStatus(get.status(value));
      if (status !== undefined) record.status = status;
      const error = toErrorReason(get.error(value));
      if (error !== undefined) record.error = error;
      // Not enumerable: a view of the raw input for custom_metrics, not record data to print or compare.
      Object.defineProperty(record, 'extra', { value, enumerable: false });
      out.push(record);
      return 'ok';
    },
    expire: () => undefined,
    pairStats: () => NO_PAIR_STATS,
  };
}
