/**
 * A ModelRecord mapped from a scanned line. The generic preset exposes the raw log object as the
 * non-enumerable `extra` (read by custom_metrics); a scanned line has no such object, so it is
 * parsed from the kept text the first time `extra` is read, and never when no one asks.
 */
import type { FeatureRow } from './features.js';
import type { ModelRecord } from './model-record.js';

export class ScannedRecord implements ModelRecord {
  // `declare`: absent until set, as on a record built from a parsed object (same own keys).
  declare requestId?: string;
  declare prediction?: number | string | null;
  declare scores?: number[];
  declare latencySeconds?: number;
  declare status?: number;
  declare error?: string;
  readonly #text: string;
  readonly #keys: readonly string[] | undefined;
  #extra: Record<string, unknown> | undefined;

  constructor(
    text: string,
    public timestamp: number,
    public model: string,
    public version: string,
    public features: FeatureRow,
    /** Object.keys(features) as the scanner knows it; a getter, so not an own key of the record. */
    keys?: readonly string[],
  ) {
    this.#text = text;
    this.#keys = keys;
  }

  get featureKeys(): readonly string[] | undefined {
    return this.#keys;
  }

  get extra(): Record<string, unknown> {
    return (this.#extra ??= JSON.parse(this.#text) as Record<string, unknown>);
  }
}
