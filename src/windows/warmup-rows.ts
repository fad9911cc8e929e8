/**
 * The warm-up records of a model version, column by column, until its reference is built from them.
 *
 * Why not arrays of the raw values: a JS array holds 8 bytes a value plus a string object per
 * category value, and grows by copies that outlive a young-generation collection (garbage for the
 * next full one). Here a numeric column is one Float64Array of warmup_records values, allocated
 * once, and a categorical column an Int32Array of codes into its distinct values (5 columns × 10 000
 * values: 0.2 MB instead of ~1.6 MB). Lossless for everything the profile reads: a missing value in
 * a numeric column (null, '', 'NA', …) is stored as NaN, which reference-profile.ts and the
 * multivariate encoder count as missing like the original. A numeric column that meets a
 * non-numeric value, or a categorical one with more than MAX_CODES distinct values, keeps raw values
 * from then on.
 */
import { isMissing, type RawValue, type ReferenceValues } from './reference-profile.js';

/** Distinct values a coded column keeps; past it the column holds raw values (a near-unique column gains nothing from codes). */
const MAX_CODES = 4096;

class WarmupColumn {
  /** Values before the first non-missing one, or the whole column while only those came. */
  private leading = 0;
  private numbers: Float64Array | undefined;
  private codes: Int32Array | undefined;
  private distinct: RawValue[] = [];
  private codeOf: Map<RawValue, number> | undefined;
  private raw: RawValue[] | undefined;
  length = 0;

  constructor(private readonly capacity: number) {}

  push(v: RawValue): void {
    if (this.raw) {
      this.raw.push(v);
    } else if (this.numbers) {
      if (typeof v === 'number') this.setNumber(v);
      else if (isMissing(v)) this.setNumber(NaN);
      else {
        this.toRaw();
        this.raw!.push(v);
      }
    } else if (this.codes) {
      this.pushCode(v);
    } else if (isMissing(v)) {
      this.leading++;
    } else {
      this.start(v);
      return;
    }
    this.length++;
  }

  /**
   * The values as they are held, no copy (the reference build reads them in place): a numeric
   * column's numbers (NaN: missing), a categorical one's codes into its distinct values, or raw values.
   */
  view(): ReferenceValues {
    if (this.raw) return this.raw.length === this.length ? this.raw : this.raw.slice(0, this.length);
    if (this.numbers) return this.numbers.subarray(0, this.length);
    if (this.codes) return { codes: this.codes.subarray(0, this.length), distinct: this.distinct };
    return new Array<RawValue>(this.length).fill(undefined);
  }

  /** The values as an array (missing ones of a numeric column as NaN): a copy, for a checkpoint. */
  toArray(): RawValue[] {
    if (this.raw) return this.raw.slice(0, this.length);
    // Array.from keeps a double array (8 bytes a value); a spread would box each number.
    if (this.numbers) return Array.from(this.numbers.subarray(0, this.length));
    if (this.codes) return Array.from(this.codes.subarray(0, this.length), (c) => this.distinct[c]);
    return new Array<RawValue>(this.length).fill(undefined);
  }

  /** The first non-missing value decides how the column is held; the missing ones before it are kept as missing. */
  private start(v: RawValue): void {
    const size = Math.max(this.capacity, this.leading + 1);
    if (typeof v === 'number') {
      this.numbers = new Float64Array(size).fill(NaN, 0, this.leading);
      this.setNumber(v);
    } else {
      // The leading missing values share one code (any missing value reads as missing).
      this.codes = new Int32Array(size);
      this.codeOf = new Map();
      if (this.leading > 0) {
        this.distinct.push(undefined);
        this.codeOf.set(undefined, 0);
      }
      this.pushCode(v);
    }
    this.length++;
  }

  private setNumber(v: number): void {
    if (this.length === this.numbers!.length) this.numbers = grown(this.numbers!);
    this.numbers![this.length] = v;
  }

  /** Stores v's code at `length` (the caller counts it), or v itself once the column holds raw values. */
  private pushCode(v: RawValue): void {
    let code = this.codeOf!.get(v);
    if (code === undefined || Object.is(v, -0)) {
      // A Map key does not tell −0 from 0: a coded column that meets −0 keeps raw values.
      if (this.distinct.length === MAX_CODES || Object.is(v, -0)) {
        this.toRaw();
        this.raw!.push(v);
        return;
      }
      code = this.distinct.push(v) - 1;
      this.codeOf!.set(v, code);
    }
    if (this.length === this.codes!.length) this.codes = grown(this.codes!);
    this.codes![this.length] = code;
  }

  private toRaw(): void {
    this.raw = this.toArray();
    this.numbers = this.codes = this.codeOf = undefined;
    this.distinct = [];
  }
}

function grown<T extends Float64Array | Int32Array>(a: T): T {
  const out = new (a.constructor as new (n: number) => T)(a.length * 2);
  out.set(a);
  return out;
}

export class WarmupRows {
  private readonly columns = new Map<string, WarmupColumn>();
  /** Records added. */
  count = 0;

  /** `capacity`: reference.warmup_records, the rows a column holds before the reference is built. */
  constructor(
    private readonly capacity: number,
    private readonly predictionColumn: string,
  ) {}

  /**
   * One record: each of `names` from its features (a column first seen now starts with a missing
   * value for each earlier record; a column this record lacks gets a missing value), and the
   * prediction column from its prediction.
   */
  add(names: readonly string[], features: Readonly<Record<string, RawValue>>, prediction: RawValue): void {
    for (const name of names) if (!this.columns.has(name)) this.addColumn(name);
    if (!this.columns.has(this.predictionColumn)) this.addColumn(this.predictionColumn);
    for (const [name, col] of this.columns) col.push(name === this.predictionColumn ? prediction : features[name]);
    this.count++;
  }

  /** The columns as they are held (views, valid until the next add), in the order they were first seen: what buildProfile reads. */
  columnViews(): Map<string, ReferenceValues> {
    return new Map([...this.columns].map(([name, col]) => [name, col.view()]));
  }

  /** The columns as arrays (copies), in the order they were first seen: what a checkpoint saves. */
  arrays(): Map<string, RawValue[]> {
    return new Map([...this.columns].map(([name, col]) => [name, col.toArray()]));
  }

  /** Saved columns (arrays of equal length `count`) back into columns. */
  static restore(saved: Readonly<Record<string, readonly RawValue[]>>, count: number, capacity: number, predictionColumn: string): WarmupRows {
    const rows = new WarmupRows(capacity, predictionColumn);
    for (const [name, values] of Object.entries(saved)) {
      const col = new WarmupColumn(capacity);
      for (const v of values) col.push(v);
      rows.columns.set(name, col);
    }
    rows.count = count;
    return rows;
  }

  private addColumn(name: string): void {
    const col = new WarmupColumn(this.capacity);
    for (let i = 0; i < this.count; i++) col.push(undefined);
    this.columns.set(name, col);
  }
}
