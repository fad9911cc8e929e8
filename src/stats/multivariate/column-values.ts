/**
 * A reference column as the reference build reads it. The warm-up keeps its columns typed
 * (windows/warmup-rows.ts); copying each into an array of raw values for the build cost 8 B a value
 * of V8 heap for every column at once, which grew the heap for the rest of the run (13 → 18 MiB,
 * measured at the end of warm-up). So the build reads the typed columns themselves:
 *
 * - an array of raw values (a reference file's column, a restored checkpoint's);
 * - a Float64Array of numbers, any non-finite one (NaN) standing for a missing value;
 * - codes into distinct values (a categorical column): value r is distinct[codes[r]].
 *
 * Each reads as exactly the values of the array it stands for.
 */
import { categoryValue, numericValue, type EncodedValue } from './record-encoder.js';

export interface CodedValues {
  /** One code a row (the column's length). */
  readonly codes: Int32Array;
  /** The value of each code. */
  readonly distinct: readonly EncodedValue[];
}

export type ColumnValues = readonly EncodedValue[] | Float64Array | CodedValues;

export function isCoded(values: ColumnValues): values is CodedValues {
  return !Array.isArray(values) && !(values instanceof Float64Array);
}

export function columnLength(values: ColumnValues): number {
  return isCoded(values) ? values.codes.length : values.length;
}

/** The rows `keep` of a column (a seeded sample of a large reference), of the same kind. */
export function pickRows(values: ColumnValues, keep: Uint32Array): ColumnValues {
  if (values instanceof Float64Array) return Float64Array.from(keep, (r) => values[r]);
  if (isCoded(values)) return { codes: Int32Array.from(keep, (r) => values.codes[r]), distinct: values.distinct };
  return Array.from(keep, (r) => values[r]);
}

/**
 * Each row's number as numericValue reads it (NaN: missing). A Float64Array of finite numbers and
 * NaN is returned as it is (no copy).
 */
export function numbersOf(values: ColumnValues): Float64Array {
  if (values instanceof Float64Array) {
    let finiteOrNaN = true;
    for (let r = 0; r < values.length && finiteOrNaN; r++) {
      const x = values[r];
      finiteOrNaN = x - x === 0 || x !== x;
    }
    return finiteOrNaN ? values : values.map((x) => (x - x === 0 ? x : NaN));
  }
  if (isCoded(values)) {
    const byCode = Float64Array.from(values.distinct, (v) => numericValue(v));
    const codes = values.codes;
    const out = new Float64Array(codes.length);
    for (let r = 0; r < codes.length; r++) out[r] = byCode[codes[r]];
    return out;
  }
  const out = new Float64Array(values.length);
  for (let r = 0; r < values.length; r++) {
    const v = values[r];
    // The common case, a finite number, without a call.
    out[r] = typeof v === 'number' && v - v === 0 ? v : numericValue(v);
  }
  return out;
}

/** Each row's category as categoryValue reads it: an index into `names` (distinct, first seen first), −1 when missing. */
export interface RowCategories {
  codes: Int32Array;
  names: string[];
}

export function categoriesOf(values: ColumnValues): RowCategories {
  const names: string[] = [];
  const indexOf = new Map<string, number>();
  // Coded: once per distinct value, not per row (two values can read as one category: 1 and '1').
  const coded = isCoded(values);
  const source: readonly EncodedValue[] | Float64Array = coded ? values.distinct : values;
  const read = new Int32Array(source.length);
  // One loop with no call but categoryValue's: the fit runs it once, cold.
  for (let r = 0; r < source.length; r++) {
    const c = categoryValue(source[r]);
    if (c === undefined) {
      read[r] = -1;
      continue;
    }
    let i = indexOf.get(c);
    if (i === undefined) {
      i = names.push(c) - 1;
      indexOf.set(c, i);
    }
    read[r] = i;
  }
  if (!coded) return { codes: read, names };
  const codes = new Int32Array(values.codes.length);
  for (let r = 0; r < codes.length; r++) codes[r] = read[values.codes[r]];
  return { codes, names };
}
