/**
 * The encoded reference kept compactly for the PCA fit: per row, each numeric feature's
 * standardised value and, per categorical feature, the one one-hot column its value sets (−1: an
 * unknown category, all zeros). The dense matrix would be d wide with mostly zeros (40 columns for
 * 15 numeric + 5 five-category features, 20 of them set); the fit's moments and the scorer read
 * the set entries only. Values are those encodeInto writes (record-encoder.ts), bit for bit.
 */
import { categoryIndex, categoryValue, numericValue, type EncodedValue, type RecordEncoder } from './record-encoder.js';

export interface EncodedRows {
  rows: number;
  /** Encoded columns (the encoder's width). */
  width: number;
  /** The encoded column of each numeric feature, in encoder order. */
  numericColumns: Int32Array;
  /** rows × numericColumns.length: (x − mean)/scale, missing imputed with the mean. */
  numbers: Float64Array;
  /** How many categorical features (hits per row). */
  categorical: number;
  /** rows × categorical: the encoded column that is 1, −1 when none is. */
  hits: Int32Array;
}

/** `columns[f]`: the values of the encoder's f-th feature, row-aligned. */
export function encodeRows(encoder: RecordEncoder, columns: readonly (readonly EncodedValue[])[], rows: number): EncodedRows {
  const features = encoder.features;
  const numeric = features.filter((f) => f.type === 'numeric').length;
  const categorical = features.length - numeric;
  const numericColumns = new Int32Array(numeric);
  const numbers = new Float64Array(rows * numeric);
  const hits = new Int32Array(rows * categorical);
  const index = categoryIndex(encoder);
  let at = 0;
  let nf = 0;
  let cf = 0;
  for (let i = 0; i < features.length; i++) {
    const f = features[i];
    const values = columns[i];
    if (f.type === 'numeric') {
      numericColumns[nf] = at++;
      for (let r = 0, o = nf; r < rows; r++, o += numeric) {
        const v = values[r];
        const x = typeof v === 'number' && v - v === 0 ? v : numericValue(v);
        numbers[o] = ((x === x ? x : f.mean) - f.mean) / f.scale;
      }
      nf++;
      continue;
    }
    const columnOf = index[i];
    for (let r = 0, o = cf; r < rows; r++, o += categorical) {
      const k = columnOf.get(categoryValue(values[r]) ?? f.mode);
      hits[o] = k === undefined ? -1 : at + k;
    }
    at += f.categories.length;
    cf++;
  }
  return { rows, width: encoder.width, numericColumns, numbers, categorical, hits };
}

/** Row r densely, as encodeInto writes it (for the rare record the scorer must treat exactly). */
export function denseRow(e: EncodedRows, r: number, out: Float64Array): Float64Array {
  out.fill(0);
  const p = e.numericColumns.length;
  for (let j = 0; j < p; j++) out[e.numericColumns[j]] = e.numbers[r * p + j];
  for (let h = 0; h < e.categorical; h++) {
    const col = e.hits[r * e.categorical + h];
    if (col >= 0) out[col] = 1;
  }
  return out;
}
