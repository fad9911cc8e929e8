/** Per-record reconstruction errors of a fitted PCA model (the model and its definition: pca-reconstruction.ts). */
import type { FeatureColumns } from '../../core/feature-columns.js';
import { denseRow, emptyRows, type EncodedRows } from './encoded-rows.js';
import type { EncodedValue } from './record-encoder.js';
import { RowEncoding } from './row-encoding.js';
import type { ReconstructionModel } from './reconstruction-model.js';

/**
 * Below this share of ‖x − μ‖², the error from ‖x − μ‖² − ‖(x − μ)Vₖᵀ‖² has lost too many digits to
 * cancellation (rounding is ~1e-15 of ‖x − μ‖², so the share keeps the error to ~1e-11 relative):
 * the residual is then formed explicitly instead.
 */
const CANCELLATION_SHARE = 1e-4;

/**
 * Reconstruction errors of a fitted model, for a block of encoded rows at a time (or one record);
 * holds its scratch space, so one per thread of use.
 *
 * A record is not encoded densely. The axes are orthonormal, so with c = x − μ the error is
 * ‖c − cVₖᵀVₖ‖² = ‖c‖² − ‖cVₖᵀ‖² (no back-projection), and c is sparse around a constant: a
 * categorical feature's one-hot block of c is −μ except at the record's category, where it is 1 − μ.
 * So axis a's coordinate (cVₖᵀ)ₐ = (the constant −μ_cat·vₐ over every one-hot column) + Σ numeric
 * zⱼ·vₐⱼ + Σ categorical vₐ at the record's category column — a lookup, not a one-hot block of
 * multiplies — and likewise ‖c‖²: O(k·features) per record instead of O(d·k) over the whole one-hot
 * width. Each coordinate is summed in a register and squared at once: no projection vector is
 * stored. With residual axes (fewer than k), the error is the length of the projection on them,
 * the same sum with no cancellation at all.
 */
export class ReconstructionScorer {
  private readonly centre: Float64Array;
  /** The axes the error is computed with, row after row in one array (k principal, or d − k residual). */
  private readonly axes: Float64Array;
  private readonly axisCount: number;
  /** true: `axes` are the residual axes, the error is the length of the projection on them. */
  private readonly residual: boolean;
  private readonly encoded: Float64Array;
  private readonly centred: Float64Array;
  private readonly rest: Float64Array;
  /** Writes a record into a row of a block the way errors() reads it. */
  readonly encoding: RowEncoding;
  /** Per numeric feature (encoder order): its centre μⱼ. */
  private readonly numericCentre: Float64Array;
  /**
   * The axes in groups of four (the last padded with zero axes): group g's coordinates on numeric
   * feature j are the four values from (g·p + j)·4 on. Four axes are summed at once, in four
   * registers: one add chain per axis would wait out the add's latency at every term (measured:
   * 550 ns a record on 13 axes, one axis at a time).
   */
  private readonly numericAxes: Float64Array;
  /**
   * The same groups over every encoded column, and a column d of zeros where a categorical feature
   * that sets no column (an unknown category) points: group g's coordinates on column j from
   * (g·(d + 1) + j)·4 on.
   */
  private readonly hitAxes: Float64Array;
  /** Per column: 1 − 2μⱼ, what a one-hot 1 adds to ‖c‖² over the −μⱼ it replaces (column d: 0). */
  private readonly hitNorm: Float64Array;
  /** The projection (in the groups' order, zeros for the padding) and ‖c‖² of a record whose one-hot blocks are all zero (numeric parts left out). */
  private readonly baseProjection: Float64Array;
  private readonly groups: number;
  private readonly baseNorm: number;
  /** The row being scored: its centred numbers, and the offsets of its hit columns. */
  private readonly rowNumbers: Float64Array;
  private readonly rowHits: Int32Array;
  /** A block of one row, for the record-at-a-time calls. */
  private readonly single: EncodedRows;
  private readonly singleError = new Float64Array(1);

  constructor(readonly model: ReconstructionModel) {
    const d = model.encoder.width;
    this.centre = Float64Array.from(model.centre);
    this.residual = model.residualAxes !== undefined;
    const rows = model.residualAxes ?? model.components;
    const m = (this.axisCount = rows.length);
    this.axes = new Float64Array(rows.length * d);
    rows.forEach((row, a) => this.axes.set(row, a * d));
    this.encoded = new Float64Array(d);
    this.centred = new Float64Array(d);
    this.rest = new Float64Array(d);
    this.encoding = new RowEncoding(model.encoder);
    this.single = emptyRows(model.encoder, 1);
    const numericColumns = this.single.numericColumns;
    const p = numericColumns.length;
    this.numericCentre = Float64Array.from(numericColumns, (col) => this.centre[col]);
    const groups = (this.groups = Math.ceil(m / 4));
    this.numericAxes = new Float64Array(groups * p * 4);
    this.hitAxes = new Float64Array(groups * (d + 1) * 4);
    for (let a = 0; a < m; a++) {
      const g = a >> 2;
      const t = a & 3;
      for (let j = 0; j < p; j++) this.numericAxes[(g * p + j) * 4 + t] = this.axes[a * d + numericColumns[j]];
      for (let j = 0; j < d; j++) this.hitAxes[(g * (d + 1) + j) * 4 + t] = this.axes[a * d + j];
    }
    this.hitNorm = new Float64Array(d + 1);
    this.baseProjection = new Float64Array(groups * 4);
    let baseNorm = 0;
    for (let i = 0, at = 0; i < model.encoder.features.length; i++) {
      const f = model.encoder.features[i];
      if (f.type === 'numeric') {
        at++;
        continue;
      }
      for (let j = at; j < at + f.categories.length; j++) {
        const mu = this.centre[j];
        baseNorm += mu * mu;
        this.hitNorm[j] = 1 - 2 * mu;
        for (let a = 0; a < m; a++) this.baseProjection[a] -= mu * this.axes[a * d + j];
      }
      at += f.categories.length;
    }
    this.baseNorm = baseNorm;
    this.rowNumbers = new Float64Array(p);
    this.rowHits = new Int32Array(this.single.categorical);
  }

  /** The error of one record; value(i) is the record's value of the encoder's i-th feature. */
  error(value: (feature: number) => EncodedValue): number {
    this.encoding.fromValues(value, this.single, 0);
    return this.errorOfSingle();
  }

  /** The error of a record given as its feature row, read by the encoder's feature names. */
  errorOfRow(row: Readonly<Record<string, EncodedValue>>): number {
    this.encoding.fromRow(row, this.single, 0);
    return this.errorOfSingle();
  }

  /** The error of a record given as typed columns; at[i]: the position of the encoder's i-th feature (−1 missing). */
  errorOfColumns(c: FeatureColumns, at: Int32Array): number {
    this.encoding.fromColumns(c, at, this.single, 0);
    return this.errorOfSingle();
  }

  /** The error of row r of an encoded reference (the fit scores its own rows with it). */
  errorOfEncodedRow(e: EncodedRows, r: number): number {
    this.errors(e, r, 1, this.singleError, 0);
    return this.singleError[0];
  }

  private errorOfSingle(): number {
    this.errors(this.single, 0, 1, this.singleError, 0);
    return this.singleError[0];
  }

  /**
   * The errors of rows from … from + count − 1 of a block, into out from outAt on. Each row's
   * arithmetic is the same whatever the block (one row or many), so a record's error does not
   * depend on how records were grouped.
   */
  errors(e: EncodedRows, from: number, count: number, out: Float64Array, outAt: number): void {
    const numbers = e.numbers;
    const hits = e.hits;
    const p = this.numericCentre.length;
    const q = this.rowHits.length;
    const groups = this.groups;
    const zero = e.width;
    const nc = this.numericCentre;
    const zc = this.rowNumbers;
    const hc = this.rowHits;
    const hitNorm = this.hitNorm;
    const numericAxes = this.numericAxes;
    const hitAxes = this.hitAxes;
    const base = this.baseProjection;
    for (let r = from; r < from + count; r++) {
      let norm = this.baseNorm;
      for (let j = 0, o = r * p; j < p; j++, o++) {
        const z = numbers[o] - nc[j];
        zc[j] = z;
        norm += z * z;
      }
      for (let h = 0, o = r * q; h < q; h++, o++) {
        const col = hits[o];
        const c = col < 0 ? zero : col;
        hc[h] = c * 4;
        norm += hitNorm[c];
      }
      // Four coordinates on axes summed at once in registers, then squared into ‖cVₖᵀ‖².
      let pp = 0;
      for (let g = 0, no = 0, ho = 0, bo = 0; g < groups; g++, bo += 4, ho += (zero + 1) * 4) {
        let s0 = base[bo];
        let s1 = base[bo + 1];
        let s2 = base[bo + 2];
        let s3 = base[bo + 3];
        for (let j = 0; j < p; j++, no += 4) {
          const z = zc[j];
          s0 += z * numericAxes[no];
          s1 += z * numericAxes[no + 1];
          s2 += z * numericAxes[no + 2];
          s3 += z * numericAxes[no + 3];
        }
        for (let h = 0; h < q; h++) {
          const o = ho + hc[h];
          s0 += hitAxes[o];
          s1 += hitAxes[o + 1];
          s2 += hitAxes[o + 2];
          s3 += hitAxes[o + 3];
        }
        pp += s0 * s0 + s1 * s1 + s2 * s2 + s3 * s3;
      }
      let error: number;
      if (this.residual) error = Math.sqrt(pp);
      else {
        const ss = norm - pp;
        error = ss > CANCELLATION_SHARE * norm ? Math.sqrt(ss) : this.errorOfEncoded(denseRow(e, r, this.encoded));
      }
      out[outAt + r - from] = error;
    }
  }

  /** ‖(x − μ) − (x − μ)VₖᵀVₖ‖: the part of the centred record outside the principal subspace. */
  errorOfEncoded(x: Float64Array): number {
    const d = x.length;
    const c = this.centred;
    const axes = this.axes;
    for (let j = 0; j < d; j++) c[j] = x[j] - this.centre[j];
    if (this.residual) {
      // The residual's length from its coordinates on the other axes: a sum of squares, no cancellation.
      let ss = 0;
      for (let a = 0, at = 0; a < this.axisCount; a++, at += d) {
        let dot = 0;
        for (let j = 0; j < d; j++) dot += c[j] * axes[at + j];
        ss += dot * dot;
      }
      return Math.sqrt(ss);
    }
    // Residual r = c − Σₐ (c·vₐ) vₐ (explicitly: ‖c‖² − Σ dot² would cancel when the error is small).
    const r = this.rest;
    r.set(c);
    for (let a = 0, at = 0; a < this.axisCount; a++, at += d) {
      let dot = 0;
      for (let j = 0; j < d; j++) dot += c[j] * axes[at + j];
      for (let j = 0; j < d; j++) r[j] -= dot * axes[at + j];
    }
    let ss = 0;
    for (let j = 0; j < d; j++) ss += r[j] * r[j];
    return Math.sqrt(ss);
  }
}
