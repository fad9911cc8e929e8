/**
 * Delayed ground truth: one label per JSON object, found through `fields.request_id`,
 * `fields.label` and `fields.timestamp` (plus `fields.model`/`fields.version` when present).
 *
 *   {"request_id":"r-1","label":1,"timestamp":"2024-05-15T08:00:00Z"}
 *
 * The id is required, it is what joins the label to its prediction; a missing timestamp is now.
 */
import type { FieldsConfig } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import { compileFieldPath } from './field-path.js';
import type { MapErrorReason } from './map-outcome.js';
import type { LabelRecord } from './model-record.js';
import { parseTimestamp } from './timestamps.js';
import { isPlainObject, toText } from './values.js';

export type LabelMapper = (value: unknown) => LabelRecord | { error: MapErrorReason };

export function createLabelMapper(fields: FieldsConfig, clock: Clock): LabelMapper {
  const get = {
    requestId: compileFieldPath(fields.request_id),
    label: compileFieldPath(fields.label),
    timestamp: compileFieldPath(fields.timestamp),
    model: compileFieldPath(fields.model),
    version: compileFieldPath(fields.version),
  };
  return (value) => {
    if (!isPlainObject(value)) return { error: 'not_object' };
    const requestId = toText(get.requestId(value));
    if (requestId === undefined) return { error: 'missing_request_id' };
    const label = toLabel(get.label(value));
    if (label === undefined) return { error: 'missing_label' };
    const rawTime = get.timestamp(value);
    const timestamp = rawTime === undefined || rawTime === null ? clock.now() / 1000 : parseTimestamp(rawTime);
    if (timestamp === undefined) return { error: 'bad_timestamp' };
    const record: LabelRecord = { timestamp, requestId, label };
    const model = toText(get.model(value));
    if (model !== undefined) record.model = model;
    const version = toText(get.version(value));
    if (version !== undefined) record.version = version;
    return record;
  };
}

/** A class or a regression target as logged; booleans become 1/0 to match predictions. */
function toLabel(value: unknown): number | string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}
