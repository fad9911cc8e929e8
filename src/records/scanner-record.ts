/**
 * ModelRecords mapped from a scanned line. The generic preset exposes the raw log object as the
 * non-enumerable `extra` (read by custom_metrics); a scanned line has no such object, so it is
 * parsed from the line's text the first time `extra` is read, and never when no one asks.
 */
import type { FeatureColumns } from '../core/feature-columns.js';
import type { IdBytes } from '../core/id-bytes.js';
import type { FeatureRow } from './features.js';
import type { ModelRecord } from './model-record.js';
import type { LineScanner } from './scanner.js';

/** The optional fields a mapper sets (`declare`: absent until set, as on a record built from a parsed object). */
abstract class LineRecord {
  declare prediction?: number | string | null;
  declare scores?: number[];
  declare latencySeconds?: number;
  declare status?: number;
  declare error?: string;
}

export class ScannedRecord extends LineRecord implements ModelRecord {
  declare requestId?: string;
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
    super();
    this.#text = text;
    this.#keys = keys;
  }

  get extra(): Record<string, unknown> {
    return (this.#extra ??= JSON.parse(this.#text) as Record<string, unknown>);
  }

  get featureKeys(): readonly string[] | undefined {
    return this.#keys;
  }
}

/**
 * The record lent to a consumer that reads it only while it is delivered (record-stream.ts): one
 * object per preset, handed out again for every line (`lend`), so a line allocates no record. Its
 * features are the scanner's typed `columns`, reused by the next line, and the object row is made
 * only if someone reads `features` (custom metrics, the warm-up reference, segments); its text
 * (for `extra`) is decoded from the read buffer only if someone reads `extra`. Every optional
 * field is an own property, undefined when the line has none. A consumer that keeps the record
 * keeps what retain() returns: an independent copy. Reading `features` or `extra` after the
 * scanner has moved on (without lending this again) throws rather than giving another line's values.
 */
export class LentRecord extends LineRecord implements ModelRecord {
  // No initial value (undefined, not a number): V8 then keeps the field tagged and holds the
  // timestamp's box as it is. A field that first holds a number becomes a double field: every read
  // passed on to a call (20 per record in drift and data quality) boxes the number again.
  timestamp!: number;
  model = '';
  version = '';
  /** The scanner's columns for the line being delivered. */
  columns: FeatureColumns | undefined = undefined;
  readonly #scanner: LineScanner;
  #line = -1;
  #keys: readonly string[] | undefined = undefined;
  #features: FeatureRow | undefined = undefined;
  #extra: Record<string, unknown> | undefined = undefined;
  /** The line: its text, or where its bytes are in the read buffer (valid while it is delivered). */
  #text: string | undefined = undefined;
  #bytes: Buffer | undefined = undefined;
  #start = 0;
  #end = 0;
  /** The request id as set, or decoded from `requestIdBytes` once read. */
  #id: string | undefined = undefined;
  /** The id's bytes when the line spelled it plainly (LineScanner.idBytes), for this line. */
  #idBytes: IdBytes | undefined = undefined;

  /** Decoded from `requestIdBytes` when first read (an own property, as every optional field: see the constructor). */
  declare requestId: string | undefined;

  constructor(scanner: LineScanner) {
    super();
    this.#scanner = scanner;
    // An own, enumerable accessor: a copy ({ ...record }) and Object.keys see the id as they see
    // every optional field, and it is decoded only when read.
    Object.defineProperty(this, 'requestId', {
      enumerable: true,
      get: (): string | undefined => {
        if (this.#id === undefined && this.#idBytes !== undefined) {
          this.current();
          this.#id = this.#scanner.idText();
        }
        return this.#id;
      },
      set: (id: string | undefined) => {
        this.#id = id;
        this.#idBytes = undefined;
      },
    });
    // Every optional field an own property from the start: one object shape whatever a line holds.
    this.clearOptional();
  }

  /** The optional fields a line may set, back to undefined (the mapper sets those the line has). */
  private clearOptional(): void {
    this.requestId = undefined;
    this.prediction = undefined;
    this.scores = undefined;
    this.latencySeconds = undefined;
    this.status = undefined;
    this.error = undefined;
  }

  /** Makes this the record of the line the scanner just scanned (text, or bytes b[start, end)); clears the previous line's fields. */
  lend(text: string | undefined, bytes: Buffer | undefined, start: number, end: number, timestamp: number, model: string, version: string): this {
    const scanner = this.#scanner;
    this.timestamp = timestamp;
    this.model = model;
    this.version = version;
    this.clearOptional();
    this.columns = scanner.columns;
    this.#line = scanner.lines;
    this.#keys = scanner.rowKeys;
    this.#features = undefined;
    this.#extra = undefined;
    this.#text = text;
    this.#bytes = bytes;
    this.#start = start;
    this.#end = end;
    this.#idBytes = scanner.idBytes;
    return this;
  }

  get requestIdBytes(): IdBytes | undefined {
    return this.#idBytes;
  }

  get features(): FeatureRow {
    if (this.#features === undefined) {
      this.current();
      this.#features = this.#scanner.row!;
    }
    return this.#features;
  }

  get featureKeys(): readonly string[] | undefined {
    return this.#keys;
  }

  get extra(): Record<string, unknown> {
    return (this.#extra ??= JSON.parse(this.text()) as Record<string, unknown>);
  }

  /** A copy independent of the scanner and the read buffer (an object row), for a consumer that keeps the record. */
  retain(): ModelRecord {
    const kept = new ScannedRecord(this.text(), this.timestamp, this.model, this.version, this.features, this.#keys);
    if (this.requestId !== undefined) kept.requestId = this.requestId;
    if (this.prediction !== undefined) kept.prediction = this.prediction;
    if (this.scores !== undefined) kept.scores = this.scores;
    if (this.latencySeconds !== undefined) kept.latencySeconds = this.latencySeconds;
    if (this.status !== undefined) kept.status = this.status;
    if (this.error !== undefined) kept.error = this.error;
    return kept;
  }

  private text(): string {
    if (this.#text === undefined) {
      this.current();
      this.#text = this.#bytes!.toString('utf8', this.#start, this.#end);
    }
    return this.#text;
  }

  private current(): void {
    if (this.#scanner.lines !== this.#line) throw new Error('a lent record was read after the next line was scanned (keep what retain() returns)');
  }
}
