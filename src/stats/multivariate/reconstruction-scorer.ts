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
  /** Groups summed four axes wide: all but a last one of one or two axes (summed two wide). */
  private readonly fullGroups: number;
  private readonly baseNorm: number;
  /** The two rows being scored: their centred numbers, and the offsets of their hit columns (row a's, then row b's). */
  private readonly rowNumbers: Float64Array;
  private readonly rowHits: Int32Array;
  /** A block of one row, for the record-at-a-time calls. */
  private readonly single: EncodedRows;
  /** The two rows scorePair scores: their ‖c‖², then their errors. */
  private readonly pairNorms = new Float64Array(2);
  private readonly pair = new Float64Array(2);

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
    this.fullGroups = m % 4 === 1 || m % 4 === 2 ? groups - 1 : groups;
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
    this.rowNumbers = new Float64Array(2 * p);
    this.rowHits = new Int32Array(2 * this.single.categorical);
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

  /** The error of a record given as typed columns (each feature found by its name among c.keys). */
  errorOfColumns(c: FeatureColumns): number {
    this.encoding.fromColumns(c, this.single, 0);
    return this.errorOfSingle();
  }

  private errorOfSingle(): number {
    this.scorePair(this.single, 0, 0);
    return this.pair[0];
  }

  /**
   * The errors of rows from … from + count − 1 of a block, into out from outAt on. Each row's
   * arithmetic is the same whatever the block (one row or many) and whichever row it is paired
   * with, so a record's error does not depend on how records were grouped.
   */
  errors(e: EncodedRows, from: number, count: number, out: Float64Array, outAt: number): void {
    const end = from + count;
    const pair = this.pair;
    for (let r = from; r < end; r += 2) {
      const second = r + 1 < end;
      this.scorePair(e, r, second ? r + 1 : r);
      out[outAt + r - from] = pair[0];
      if (second) out[outAt + r + 1 - from] = pair[1];
    }
  }

  /** The errors of the given rows of a block, in their order (the fit scores each fold's rows). */
  errorsOfRows(e: EncodedRows, rows: Int32Array, out: Float64Array): void {
    const pair = this.pair;
    for (let i = 0; i < rows.length; i += 2) {
      const second = i + 1 < rows.length;
      this.scorePair(e, rows[i], second ? rows[i + 1] : rows[i]);
      out[i] = pair[0];
      if (second) out[i + 1] = pair[1];
    }
  }

  /**
   * The errors of rows a and b of a block into pair[0] and pair[1]. Two rows at once: each group
   * of four axes is read once for both, and the eight coordinates are eight independent add chains
   * (four left the adder waiting). A last group of one or two axes is summed over those only, not
   * padded to four (k = 13: 13 axes summed, not 16). Measured apart on the bench log (20 features,
   * k = 13, a block of 128): 197 → 179 ns a row for the pairs, → 165 with the narrow last group.
   * Each row's operations are those it would get alone, in the same order (padding lanes added
   * only zeros), so its error is the same bit for bit whatever row it is paired with.
   */
  private scorePair(e: EncodedRows, a: number, b: number): void {
    const numbers = e.numbers;
    const hits = e.hits;
    const nc = this.numericCentre;
    const p = nc.length;
    const q = e.categorical;
    const zero = e.width;
    const zc = this.rowNumbers;
    const hc = this.rowHits;
    const hitNorm = this.hitNorm;
    const norms = this.pairNorms;
    // Each row's centred numbers and hit offsets (row a's from 0, row b's from p and q), and ‖c‖².
    for (let i = 0; i < 2; i++) {
      const r = i === 0 ? a : b;
      let norm = this.baseNorm;
      for (let j = 0, o = r * p, w = i * p; j < p; j++, o++, w++) {
        const z = numbers[o] - nc[j];
        zc[w] = z;
        norm += z * z;
      }
      for (let h = 0, o = r * q, w = i * q; h < q; h++, o++, w++) {
        const col = hits[o];
        const c = col < 0 ? zero : col;
        hc[w] = c * 4;
        norm += hitNorm[c];
      }
      norms[i] = norm;
    }
    const numericAxes = this.numericAxes;
    const hitAxes = this.hitAxes;
    const base = this.baseProjection;
    const groups = this.groups;
    // Four coordinates on axes of each row summed at once in registers, then squared into ‖cVₖᵀ‖².
    let pa = 0;
    let pb = 0;
    let g = 0;
    let no = 0;
    let ho = 0;
    let bo = 0;
    for (; g < this.fullGroups; g++, bo += 4, ho += (zero + 1) * 4) {
      let a0 = base[bo];
      let a1 = base[bo + 1];
      let a2 = base[bo + 2];
      let a3 = base[bo + 3];
      let b0 = a0;
      let b1 = a1;
      let b2 = a2;
      let b3 = a3;
      for (let j = 0; j < p; j++, no += 4) {
        const y = zc[j];
        const z = zc[p + j];
        const v0 = numericAxes[no];
        const v1 = numericAxes[no + 1];
        const v2 = numericAxes[no + 2];
        const v3 = numericAxes[no + 3];
        a0 += y * v0;
        a1 += y * v1;
        a2 += y * v2;
        a3 += y * v3;
        b0 += z * v0;
        b1 += z * v1;
        b2 += z * v2;
        b3 += z * v3;
      }
      for (let h = 0; h < q; h++) {
        const u = ho + hc[h];
        a0 += hitAxes[u];
        a1 += hitAxes[u + 1];
        a2 += hitAxes[u + 2];
        a3 += hitAxes[u + 3];
        const w = ho + hc[q + h];
        b0 += hitAxes[w];
        b1 += hitAxes[w + 1];
        b2 += hitAxes[w + 2];
        b3 += hitAxes[w + 3];
      }
      pa += a0 * a0 + a1 * a1 + a2 * a2 + a3 * a3;
      pb += b0 * b0 + b1 * b1 + b2 * b2 + b3 * b3;
    }
    if (g < groups) {
      // The last group's one or two axes (a second lane of zero axes when one: it adds 0).
      let a0 = base[bo];
      let a1 = base[bo + 1];
      let b0 = a0;
      let b1 = a1;
      for (let j = 0; j < p; j++, no += 4) {
        const y = zc[j];
        const z = zc[p + j];
        const v0 = numericAxes[no];
        const v1 = numericAxes[no + 1];
        a0 += y * v0;
        a1 += y * v1;
        b0 += z * v0;
        b1 += z * v1;
      }
      for (let h = 0; h < q; h++) {
        const u = ho + hc[h];
        a0 += hitAxes[u];
        a1 += hitAxes[u + 1];
        const w = ho + hc[q + h];
        b0 += hitAxes[w];
        b1 += hitAxes[w + 1];
      }
      pa += a0 * a0 + a1 * a1;
      pb += b0 * b0 + b1 * b1;
    }
    this.pair[0] = this.finish(e, a, norms[0], pa);
    this.pair[1] = this.finish(e, b, norms[1], pb);
  }

  /** Row r's error from ‖c‖² and ‖cVₖᵀ‖² (or, with residual axes, the length of its projection on them). */
  private finish(e: EncodedRows, r: number, norm: number, projected: number): number {
    if (this.residual) return Math.sqrt(projected);
    const ss = norm - projected;
    return ss > CANCELLATION_SHARE * norm ? Math.sqrt(ss) : this.errorOfEncoded(denseRow(e, r, this.encoded));
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
