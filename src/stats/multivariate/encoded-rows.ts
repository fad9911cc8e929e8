/**
 * The encoded reference kept compactly for the PCA fit: per row, each numeric feature's
 * standardised value and, per categorical feature, the one one-hot column its value sets (−1: an
 * unknown category, all zeros). The dense matrix would be d wide with mostly zeros (40 columns for
 * 15 numeric + 5 five-category features, 20 of them set); the fit's moments and the scorer read
 * the set entries only. Values are those encodeInto writes (record-encoder.ts), bit for bit.
 */
import type { ReadColumn } from './fit-encoder.js';
import { categoryIndex, type RecordEncoder } from './record-encoder.js';

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

/** `columns[f]`: the encoder's f-th feature as read for the fit (fit-encoder.ts), row-aligned. */
export function encodeRows(encoder: RecordEncoder, columns: readonly ReadColumn[], rows: number): EncodedRows {
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
    const column = columns[i];
    if (f.type === 'numeric' && column.type === 'numeric') {
      numericColumns[nf] = at++;
      const xs = column.numbers;
      for (let r = 0, o = nf; r < rows; r++, o += numeric) {
        const x = xs[r];
        numbers[o] = ((x === x ? x : f.mean) - f.mean) / f.scale;
      }
      nf++;
      continue;
    }
    if (f.type !== 'categorical' || column.type !== 'categorical') throw new Error(`feature ${f.name}: encoder and column disagree on its type`);
    // The encoded column of each category the rows hold (once per category, not per row); −1: missing, imputed with the mode.
    const columnOf = index[i];
    const { codes, names } = column.categories;
    const hitOf = Int32Array.from(names, (name) => {
      const k = columnOf.get(name);
      return k === undefined ? -1 : at + k;
    });
    const k = columnOf.get(f.mode);
    const missingHit = k === undefined ? -1 : at + k;
    for (let r = 0, o = cf; r < rows; r++, o += categorical) {
      const code = codes[r];
      hits[o] = code < 0 ? missingHit : hitOf[code];
    }
    at += f.categories.length;
    cf++;
  }
  return { rows, width: encoder.width, numericColumns, numbers, categorical, hits };
}

/** Room for `capacity` rows of the encoder's records, filled row by row (row-encoding.ts); `rows` is the capacity. */
export function emptyRows(encoder: RecordEncoder, capacity: number): EncodedRows {
  const numericColumns: number[] = [];
  let categorical = 0;
  let at = 0;
  for (const f of encoder.features) {
    if (f.type === 'numeric') numericColumns.push(at++);
    else {
      categorical++;
      at += f.categories.length;
    }
  }
  const p = numericColumns.length;
  return { rows: capacity, width: encoder.width, numericColumns: Int32Array.from(numericColumns), numbers: new Float64Array(capacity * p), categorical, hits: new Int32Array(capacity * categorical) };
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
