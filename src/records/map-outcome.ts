/**
 * What mapping one raw value can come to. Error reasons are a closed, short list because they
 * become the `reason` label of the parse-error counter.
 */

export const MAP_ERROR_REASONS = [
  /** The value is not a JSON object. */
  'not_object',
  /** No feature object/array/tensor where the format says the features are. */
  'missing_features',
  /** A timestamp is present but is not a timestamp. */
  'bad_timestamp',
  /** A request or response half, or a label, carries no id to join on. */
  'missing_request_id',
  /** A label record without a label value. */
  'missing_label',
  /** A KServe line that is not a CloudEvent (no specversion/id/type). */
  'not_cloud_event',
  /** An event or OIP line whose type is neither request nor response. */
  'unknown_event_type',
  /** The payload is missing, not decodable (`data_base64`), or of no known shape. */
  'bad_body',
  /** A v2 tensor whose shape and data disagree, or a named tensor that is not there. */
  'bad_tensor',
  /** A response with a different number of rows than its request. */
  'batch_mismatch',
] as const;

export type MapErrorReason = (typeof MAP_ERROR_REASONS)[number];

/** `pending`: half of a request/response pair was kept to wait for the other half. */
export type MapOutcome = 'ok' | 'pending' | { error: MapErrorReason };

/** A decoded part (always an object or array), or the reason decoding failed: test with `typeof x === 'string'`. */
export type Mapped<T extends object> = T | MapErrorReason;
