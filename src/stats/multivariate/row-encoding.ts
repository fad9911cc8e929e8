/**
 * One record written into a row of an encoded block (encoded-rows.ts), the form the scorer reads:
 * each numeric feature's standardised value and each categorical feature's one-hot column (−1: none
 * set). The values are those encodeInto writes (record-encoder.ts), bit for bit, whichever way the
 * record arrives: as the scanner's typed columns, as an object row, or feature by feature.
 */
import { ColumnPositions, NUMBER, STRING, valueAt, type FeatureColumns } from '../../core/feature-columns.js';
import type { EncodedRows } from './encoded-rows.js';
import { categoryIndex, categoryValue, numericValue, type EncodedValue, type RecordEncoder } from './record-encoder.js';

/** String values per categorical feature matched by a scan before its map (see recentText). */
const RECENT = 8;

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
  /** The same constants by slot: numeric feature j's mean and scale; categorical feature h's index, category map and first column. */
  private readonly numericMean: Float64Array;
  private readonly numericScale: Float64Array;
  private readonly categorical: Int32Array;
  private readonly categoryIndex: Map<string, number>[];
  private readonly categoryFirst: Int32Array;
  /**
   * Per categorical slot h, from h·RECENT on: the first RECENT known categories it was given as
   * strings, and their columns, scanned before the map. The scanner hands the same interned string for each repeat of
   * a category, which `===` matches at once, where Map.get compared it by content with the
   * encoder's own copy of the key (half of fromColumns' time in the 1M-line profile). A string's
   * column never changes, so an entry never goes stale.
   */
  private readonly recentText: string[];
  private readonly recentHit: Int32Array;
  private readonly recentCount: Int32Array;
  /** Where the numeric and the categorical features sit in a line's keys, by slot. */
  private readonly numericPositions: ColumnPositions;
  private readonly categoricalPositions: ColumnPositions;
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
    const numeric = features.flatMap((f, i) => (f.type === 'numeric' ? [i] : []));
    this.categorical = Int32Array.from(features.flatMap((f, i) => (f.type === 'numeric' ? [] : [i])));
    this.numericMean = Float64Array.from(numeric, (i) => this.mean[i]);
    this.numericScale = Float64Array.from(numeric, (i) => this.scale[i]);
    this.categoryIndex = Array.from(this.categorical, (i) => this.index[i]);
    this.categoryFirst = Int32Array.from(this.categorical, (i) => this.firstColumn[i]);
    this.recentText = new Array<string>(q * RECENT).fill('');
    this.recentHit = new Int32Array(q * RECENT);
    this.recentCount = new Int32Array(q);
    this.numericPositions = new ColumnPositions(numeric.map((i) => this.names[i]));
    this.categoricalPositions = new ColumnPositions(Array.from(this.categorical, (i) => this.names[i]));
  }

  /**
   * Row r from the scanner's typed columns, each feature found by its name among c.keys (positions
   * found again only when the key sequence changes). Numeric and categorical features in two loops
   * of their own, with their constants in arrays of their own: no branch on the feature's type, and
   * 196 → 141 ns for the bench log's 15 + 5 features (one loop over the 20).
   */
  fromColumns(c: FeatureColumns, rows: EncodedRows, r: number): void {
    const numbers = rows.numbers;
    const hits = rows.hits;
    const p = this.numericCount;
    const q = this.categoricalCount;
    const kinds = c.kinds;
    const values = c.numbers;
    const strings = c.strings;
    // Fields in locals: V8 then reads each once, not once per feature.
    const { numericMean, numericScale, recentText, recentHit, recentCount } = this;
    const numericAt = this.numericPositions.of(c.keys);
    for (let j = 0, o = r * p; j < p; j++, o++) {
      const at = numericAt[j];
      const m = numericMean[j];
      if (at >= 0 && kinds[at] === NUMBER) {
        // A number read and stored unboxed. Not one expression with the other branch: a value
        // that is either a typed array's double or a call's result was boxed first, a 16-byte heap
        // number per numeric feature and record (246 B a record, 38 % of the live minute's garbage).
        const x = values[at];
        numbers[o] = ((x - x === 0 ? x : m) - m) / numericScale[j];
      } else {
        // numericValue gives a finite number itself, else NaN: imputed with the mean.
        const x = numericValue(valueAt(c, at));
        numbers[o] = ((x - x === 0 ? x : m) - m) / numericScale[j];
      }
    }
    const categoricalAt = this.categoricalPositions.of(c.keys);
    for (let h = 0, o = r * q; h < q; h++, o++) {
      const at = categoricalAt[h];
      if (at < 0 || kinds[at] !== STRING) {
        hits[o] = this.hitOf(this.categorical[h], valueAt(c, at));
        continue;
      }
      const text = strings[at];
      let t = h * RECENT;
      const end = t + recentCount[h];
      while (t < end && recentText[t] !== text) t++;
      hits[o] = t < end ? recentHit[t] : this.stringHit(h, text);
    }
  }

  /**
   * Categorical slot h's column for the text of a string value. A text that is one of the
   * reference's categories is kept among the slot's recent texts while there is room (only those: an
   * unknown text, of any length, is never held).
   */
  private stringHit(h: number, text: string): number {
    // A category's text looked up as it is: no missing marker ('', 'NA', …) has a column of its
    // own (only the mode '' of an all-missing reference, where the imputed value is that column too).
    const k = this.categoryIndex[h].get(text);
    if (k === undefined) return this.hitOf(this.categorical[h], text);
    const hit = this.categoryFirst[h] + k;
    const n = this.recentCount[h];
    if (n < RECENT) {
      this.recentText[h * RECENT + n] = text;
      this.recentHit[h * RECENT + n] = hit;
      this.recentCount[h] = n + 1;
    }
    return hit;
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
