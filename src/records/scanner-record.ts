/**
 * A ModelRecord mapped from a scanned line. The generic preset exposes the raw log object as the
 * non-enumerable `extra` (read by custom_metrics); a scanned line has no such object, so it is
 * parsed from the kept text the first time `extra` is read, and never when no one asks.
 */
import type { FeatureColumns } from '../core/feature-columns.js';
import type { FeatureRow } from './features.js';
import type { ModelRecord } from './model-record.js';
import type { LineScanner } from './scanner.js';

/**
 * What every record of a scanned line has: the optional fields a mapper sets (`declare`: absent
 * until set, as on a record built from a parsed object, so the own keys are the same), and `extra`,
 * the raw log object parsed from the kept text on first read.
 */
abstract class LineRecord {
  declare requestId?: string;
  declare prediction?: number | string | null;
  declare scores?: number[];
  declare latencySeconds?: number;
  declare status?: number;
  declare error?: string;
  readonly #text: string;
  #extra: Record<string, unknown> | undefined;

  constructor(text: string) {
    this.#text = text;
  }

  get extra(): Record<string, unknown> {
    return (this.#extra ??= JSON.parse(this.#text) as Record<string, unknown>);
  }
}

export class ScannedRecord extends LineRecord implements ModelRecord {
  readonly #keys: readonly string[] | undefined;

  constructor(
    text: string,
    public timestamp: number,
    public model: string,
    public version: string,
    public features: FeatureRow,
    /** Object.keys(features) as the scanner knows it; a getter, so not an own key of the record. */
    keys?: readonly string[],
  ) {
    super(text);
    this.#keys = keys;
  }

  get featureKeys(): readonly string[] | undefined {
    return this.#keys;
  }
}

/**
 * A scanned record lent to a consumer that reads it only while it is delivered (record-stream.ts):
 * its features are the scanner's typed `columns`, reused by the next line, and the object row is
 * made only if someone reads `features` (custom metrics, the warm-up reference, segments). A
 * consumer that keeps the record calls retain() first; reading `features` after the scanner has
 * moved on without it throws rather than giving another line's values.
 */
export class LentRecord extends LineRecord implements ModelRecord {
  /** The scanner's columns while this record is the line being delivered; undefined once retained. */
  columns: FeatureColumns | undefined;
  readonly #scanner: LineScanner;
  readonly #line: number;
  readonly #keys: readonly string[] | undefined;
  #features: FeatureRow | undefined;

  constructor(
    text: string,
    public timestamp: number,
    public model: string,
    public version: string,
    scanner: LineScanner,
  ) {
    super(text);
    this.#scanner = scanner;
    this.#line = scanner.lines;
    this.columns = scanner.columns;
    this.#keys = scanner.rowKeys;
  }

  get features(): FeatureRow {
    if (this.#features === undefined) {
      if (this.#scanner.lines !== this.#line) throw new Error('a lent record was read after the next line was scanned (retain() it to keep it)');
      this.#features = this.#scanner.row!;
    }
    return this.#features;
  }

  get featureKeys(): readonly string[] | undefined {
    return this.#keys;
  }

  /** Makes the record independent of the scanner (its object row), for a consumer that keeps it. */
  retain(): void {
    void this.features;
    this.columns = undefined;
  }
}
