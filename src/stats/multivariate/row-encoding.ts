/**
 * One record written into a row of an encoded block (encoded-rows.ts), the form the scorer reads:
 * each numeric feature's standardised value and each categorical feature's one-hot column (−1: none
 * set). The values are those encodeInto writes (record-encoder.ts), bit for bit, whichever way the
 * record arrives: as the scanner's typed columns, as an object row, or feature by feature.
 */
import { ABSENT, NUMBER, STRING, valueAt, type FeatureColumns } from '../../core/feature-columns.js';
import type { EncodedRows } from './encoded-rows.js';
import { categoryIndex, categoryValue, numericValue, type EncodedValue, type RecordEncoder } from './record-encoder.js';

export class RowEncoding {
  private readonly index: Map<string, number>[];
  /** Per feature: 1 numeric, 0 categorical. */
  private readonly numeric: Uint8Array;
  /** Per feature: its slot among the row's numbers (numeric) or hits (categorical). */
  private readonly slot: Int32Array;
  /** Per feature: its first encoded column. */
  private readonly firstColumn: Int32Array;
  /** Per feature: imputation mean and scale (numeric), 0 and 1 otherwise. */
  private readonly mean: Float64Array;
  private readonly scale: Float64Array;
  /** Per feature: the imputed category (categorical), '' otherwise. */
  private readonly modes: string[];
  /** Feature names in encoder order (an object row is read by them). */
  readonly names: string[];
  /** Numeric and categorical features: a row's numbers and hits. */
  readonly numericCount: number;
  readonly categoricalCount: number;

  constructor(readonly encoder: RecordEncoder) {
    const features = encoder.features;
    this.index = categoryIndex(encoder);
    this.names = features.map((f) => f.name);
    this.modes = features.map((f) => (f.type === 'categorical' ? f.mode : ''));
    this.numeric = Uint8Array.from(features, (f) => (f.type === 'numeric' ? 1 : 0));
    this.mean = Float64Array.from(features, (f) => (f.type === 'numeric' ? f.mean : 0));
    this.scale = Float64Array.from(features, (f) => (f.type === 'numeric' ? f.scale : 1));
    this.slot = new Int32Array(features.length);
    this.firstColumn = new Int32Array(features.length);
    let p = 0;
    let q = 0;
    for (let i = 0, at = 0; i < features.length; i++) {
      const f = features[i];
      this.firstColumn[i] = at;
      this.slot[i] = f.type === 'numeric' ? p++ : q++;
      at += f.type === 'numeric' ? 1 : f.categories.length;
    }
    this.numericCount = p;
    this.categoricalCount = q;
  }

  /** Row r from the scanner's typed columns; at[i]: the position of the encoder's i-th feature (−1 missing). */
  fromColumns(c: FeatureColumns, at: Int32Array, rows: EncodedRows, r: number): void {
    const numbers = rows.numbers;
    const hits = rows.hits;
    const no = r * this.numericCount;
    const ho = r * this.categoricalCount;
    // Fields and the columns' arrays in locals: V8 then reads each once, not once per feature.
    const { numeric, slot, mean, scale } = this;
    const kinds = c.kinds;
    const values = c.numbers;
    for (let i = 0; i < at.length; i++) {
      const p = at[i];
      const kind = p < 0 ? ABSENT : kinds[p];
      if (numeric[i] === 1) {
        // A number read unboxed (numericValue gives a finite number itself, else NaN).
        const x = kind === NUMBER ? values[p] : numericValue(valueAt(c, p));
        const m = mean[i];
        numbers[no + slot[i]] = ((x - x === 0 ? x : m) - m) / scale[i];
        continue;
      }
      // A category's text looked up as it is: no missing marker ('', 'NA', …) has a column of its
      // own (only the mode '' of an all-missing reference, where the imputed value is that column too).
      const k = kind === STRING ? this.index[i].get(c.strings[p]) : undefined;
      hits[ho + slot[i]] = k !== undefined ? this.firstColumn[i] + k : this.hitOf(i, valueAt(c, p));
    }
  }

  /** Row r from a record's object row, read by the encoder's feature names. */
  fromRow(row: Readonly<Record<string, EncodedValue>>, rows: EncodedRows, r: number): void {
    for (let i = 0; i < this.names.length; i++) this.set(i, row[this.names[i]], rows, r);
  }

  /** Row r from value(i), the record's value of the encoder's i-th feature. */
  fromValues(value: (feature: number) => EncodedValue, rows: EncodedRows, r: number): void {
    for (let i = 0; i < this.names.length; i++) this.set(i, value(i), rows, r);
  }

  private set(i: number, v: EncodedValue, rows: EncodedRows, r: number): void {
    if (this.numeric[i] === 1) {
      // The common case first: a finite number needs no conversion.
      const x = typeof v === 'number' && v - v === 0 ? v : numericValue(v);
      const mean = this.mean[i];
      rows.numbers[r * this.numericCount + this.slot[i]] = ((x === x ? x : mean) - mean) / this.scale[i];
    } else {
      rows.hits[r * this.categoricalCount + this.slot[i]] = this.hitOf(i, v);
    }
  }

  /** Categorical feature i's one-hot column for value v (−1: an unknown category sets none). */
  private hitOf(i: number, v: EncodedValue): number {
    const k = this.index[i].get(categoryValue(v) ?? this.modes[i]);
    return k === undefined ? -1 : this.firstColumn[i] + k;
  }
}
