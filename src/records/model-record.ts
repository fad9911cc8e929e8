/**
 * The one record type that flows from sources to analyzers. A mapping preset turns a raw log
 * line (or an HTTP body) into a ModelRecord; everything downstream reads only this shape.
 */

import type { FeatureColumns } from '../core/feature-columns.js';
import type { IdBytes } from '../core/id-bytes.js';

/** A raw feature value as it appeared in the log: numbers stay numbers, categories stay strings. */
export type FeatureValue = number | string | boolean | null | undefined;

export interface ModelRecord {
  /** Event time, seconds since the Unix epoch. */
  timestamp: number;
  requestId?: string;
  /**
   * On a lent record whose line spelled the request id as plain ASCII: its bytes in the read buffer
   * (core/id-bytes.ts), valid while the record is delivered. The id stores pack it from them, and
   * `requestId` is decoded only when read.
   */
  readonly requestIdBytes?: IdBytes;
  model: string;
  version: string;
  /** Feature name → value as logged. Absent keys are missing values. */
  features: Record<string, FeatureValue>;
  /**
   * Object.keys(features), when the preset knows it already (the line scanner: one shared, frozen
   * array per key sequence), so analyzers need not list the keys of every record.
   */
  readonly featureKeys?: readonly string[];
  /**
   * The features as typed columns (records/feature-columns.ts), on a record lent by the line
   * scanner: the same values as `features`, read by position instead of by name. Valid only while
   * the record is being delivered; a consumer that keeps the record keeps what retain() returns.
   */
  readonly columns?: FeatureColumns;
  /**
   * On a lent record (one object reused for every line): a copy safe to keep past its delivery
   * (no `columns`; `features` an object row). Without it, a record may be kept as it is.
   */
  retain?(): ModelRecord;
  /** Regression output or predicted class. */
  prediction?: number | string | null;
  /** Class scores or probabilities, when the server logs them (binary: one score for the positive class). */
  scores?: number[];
  latencySeconds?: number;
  /** HTTP or gRPC-mapped status code; undefined when unknown. */
  status?: number;
  /** Error reason when the request failed (kept short: becomes a bounded `reason` label). */
  error?: string;
  /** The raw log object the record came from (generic preset), read by `custom_metrics` paths; never stored. */
  extra?: Record<string, unknown>;
}

/**
 * The features of a failed request that logged none (core/failed-request.ts): one shared, frozen
 * object, so analyzers tell it from a logged `{}` by identity. Traffic counts such a record; drift
 * and data quality skip it.
 */
export const NO_FEATURES: Readonly<Record<string, FeatureValue>> = Object.freeze({});

/** A delayed ground-truth label, joined to its prediction by request id. */
export interface LabelRecord {
  timestamp: number;
  requestId: string;
  label: number | string;
  model?: string;
  version?: string;
}
