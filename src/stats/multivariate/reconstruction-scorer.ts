/** Per-record reconstruction errors of a fitted PCA model (the model and its definition: pca-reconstruction.ts). */
import { kindAt, NUMBER, STRING, valueAt, type FeatureColumns } from '../../core/feature-columns.js';
import { denseRow, type EncodedRows } from './encoded-rows.js';
import { categoryIndex, categoryValue, encodeInto, numericValue, type EncodedValue } from './record-encoder.js';
import type { ReconstructionModel } from './reconstruction-model.js';

/**
 * Below this share of ‖x − μ‖², the error from ‖x − μ‖² − ‖(x − μ)Vₖᵀ‖² has lost too many digits to
 * cancellation (rounding is ~1e-15 of ‖x − μ‖², so the share keeps the error to ~1e-11 relative):
 * the residual is then formed explicitly instead.
 */
const CANCELLATION_SHARE = 1e-4;

/**
 * Per-record reconstruction errors of a fitted model; holds its scratch space, so one per thread of use.
 *
 * A record is not encoded densely. The axes are orthonormal, so with c = x − μ the error is
 * ‖c − cVₖᵀVₖ‖² = ‖c‖² − ‖cVₖᵀ‖² (no back-projection), and c is sparse around a constant: a
 * categorical feature's one-hot block of c is −μ except at the record's category, where it is 1 − μ.
 * So cVₖᵀ = (the constant −μ_cat·Vₖᵀ over every one-hot column) + Σ numeric zⱼ·(column j of Vₖᵀ)
 * + Σ categorical (column of the record's category), and likewise ‖c‖²: O(k·features) per record
 * instead of O(d·k) over the whole one-hot width. With residual axes (fewer than k), the error is
 * the length of the projection on them, the same sum with no cancellation at all.
 */
export class ReconstructionScorer {
  private readonly centre: Float64Array;
  /** The axes the error is computed with, row after row in one array (k principal, or d − k residual). */
  private readonly axes: Float64Array;
  private readonly axisCount: number;
  /** true: `axes` are the residual axes, the error is the length of the projection on them. */
  private readonly residual: boolean;
  private readonly index: Map<string, number>[];
  private readonly encoded: Float64Array;
  private readonly centred: Float64Array;
  private readonly rest: Float64Array;
  /** Feature names in encoder order (errorOfRow reads the record by them). */
  private readonly names: string[];
  private readonly numeric: Uint8Array;
  /** Per feature: its first encoded column. */
  private readonly firstColumn: Int32Array;
  /** Per feature: imputation mean and scale (numeric), 0 and 1 otherwise. */
  private readonly mean: Float64Array;
  private readonly scale: Float64Array;
  /** Column j's coordinates on every axis, column after column (d × axisCount): Vᵀ by columns. */
  private readonly byColumn: Float64Array;
  /** Per column: 1 − 2μⱼ, what a one-hot 1 adds to ‖c‖² over the −μⱼ it replaces. */
  private readonly hitNorm: Float64Array;
  /** The projection and ‖c‖² of a record whose one-hot blocks are all zero (numeric parts left out). */
  private readonly baseProjection: Float64Array;
  private readonly baseNorm: number;
  /** Per feature: the imputed category (categorical), '' otherwise. */
  private readonly modes: string[];
  /**
   * The record being scored: its projection on the axes, then ‖c‖² in the last slot (a typed
   * array, not a number field: each update of a field holding a double may allocate its box).
   */
  private readonly projection: Float64Array;
  /**
   * The record's terms, gathered before they are projected: term t adds termWeight[t] times the
   * column of Vᵀ that starts at termOffset[t] (a numeric feature's z, or 1 for a category's column).
   */
  private readonly termWeight: Float64Array;
  private readonly termOffset: Int32Array;
  private terms = 0;

  constructor(readonly model: ReconstructionModel) {
    const d = model.encoder.width;
    this.centre = Float64Array.from(model.centre);
    this.residual = model.residualAxes !== undefined;
    const rows = model.residualAxes ?? model.components;
    const m = (this.axisCount = rows.length);
    this.axes = new Float64Array(rows.length * d);
    rows.forEach((row, a) => this.axes.set(row, a * d));
    this.index = categoryIndex(model.encoder);
    this.encoded = new Float64Array(d);
    this.centred = new Float64Array(d);
    this.rest = new Float64Array(d);
    const features = model.encoder.features;
    this.names = features.map((f) => f.name);
    this.modes = features.map((f) => (f.type === 'categorical' ? f.mode : ''));
    this.numeric = Uint8Array.from(features, (f) => (f.type === 'numeric' ? 1 : 0));
    this.firstColumn = new Int32Array(features.length);
    this.mean = Float64Array.from(features, (f) => (f.type === 'numeric' ? f.mean : 0));
    this.scale = Float64Array.from(features, (f) => (f.type === 'numeric' ? f.scale : 1));
    this.byColumn = new Float64Array(d * m);
    for (let a = 0; a < m; a++) for (let j = 0; j < d; j++) this.byColumn[j * m + a] = this.axes[a * d + j];
    this.hitNorm = new Float64Array(d);
    this.baseProjection = new Float64Array(m);
    let baseNorm = 0;
    for (let i = 0, at = 0; i < features.length; i++) {
      this.firstColumn[i] = at;
      const f = features[i];
      if (f.type === 'numeric') {
        at++;
        continue;
      }
      for (let j = at; j < at + f.categories.length; j++) {
        const mu = this.centre[j];
        baseNorm += mu * mu;
        this.hitNorm[j] = 1 - 2 * mu;
        for (let a = 0; a < m; a++) this.baseProjection[a] -= mu * this.byColumn[j * m + a];
      }
      at += f.categories.length;
    }
    this.baseNorm = baseNorm;
    this.projection = new Float64Array(m + 1);
    this.termWeight = new Float64Array(features.length);
    this.termOffset = new Int32Array(features.length);
  }

  /** The error of one record; value(i) is the record's value of the encoder's i-th feature. */
  error(value: (feature: number) => EncodedValue): number {
    this.begin();
    for (let i = 0; i < this.names.length; i++) this.add(i, value(i));
    const e = this.finish();
    if (e >= 0) return e;
    encodeInto(this.model.encoder, value, this.encoded, this.index);
    return this.errorOfEncoded(this.encoded);
  }

  /** The error of a record given as its feature row, read by the encoder's feature names. */
  errorOfRow(row: Readonly<Record<string, EncodedValue>>): number {
    const names = this.names;
    this.begin();
    for (let i = 0; i < names.length; i++) this.add(i, row[names[i]]);
    const e = this.finish();
    return e >= 0 ? e : this.exactErrorOfRow(row);
  }

  /** The error of a record given as typed columns; at[i]: the position of the encoder's i-th feature (−1 missing). */
  errorOfColumns(c: FeatureColumns, at: Int32Array): number {
    this.begin();
    const m = this.axisCount;
    const proj = this.projection;
    for (let i = 0; i < at.length; i++) {
      const p = at[i];
      const kind = kindAt(c, p);
      if (this.numeric[i] === 1 && kind === NUMBER) {
        // A numeric feature's number read unboxed (numericValue gives a finite number itself, else
        // NaN), and added here: passed as an argument to a call V8 does not inline, it would be boxed.
        const v = c.numbers[p];
        const col = this.firstColumn[i];
        const mean = this.mean[i];
        const z = ((v - v === 0 ? v : mean) - mean) / this.scale[i] - this.centre[col];
        proj[m] += z * z;
        this.termWeight[this.terms] = z;
        this.termOffset[this.terms++] = col * m;
        continue;
      }
      // A category's text looked up as it is: no missing marker ('', 'NA', …) has a column of its
      // own (only the mode '' of an all-missing reference, where the imputed value is that column too).
      const k = this.numeric[i] === 0 && kind === STRING ? this.index[i].get(c.strings[p]) : undefined;
      if (k === undefined) {
        // The rare value (missing, a boolean, a number as text, an unknown category) the general way.
        this.add(i, valueAt(c, p));
        continue;
      }
      const col = this.firstColumn[i] + k;
      proj[m] += this.hitNorm[col];
      this.termWeight[this.terms] = 1;
      this.termOffset[this.terms++] = col * m;
    }
    const e = this.finish();
    if (e >= 0) return e;
    encodeInto(this.model.encoder, (i) => valueAt(c, at[i]), this.encoded, this.index);
    return this.errorOfEncoded(this.encoded);
  }

  /** The error of row r of an encoded reference (the fit scores its own rows with it). */
  errorOfEncodedRow(e: EncodedRows, r: number): number {
    this.begin();
    const m = this.axisCount;
    const proj = this.projection;
    const p = e.numericColumns.length;
    for (let j = 0, o = r * p; j < p; j++, o++) {
      const col = e.numericColumns[j];
      const z = e.numbers[o] - this.centre[col];
      proj[m] += z * z;
      this.termWeight[this.terms] = z;
      this.termOffset[this.terms++] = col * m;
    }
    for (let h = 0, o = r * e.categorical; h < e.categorical; h++, o++) {
      const col = e.hits[o];
      if (col < 0) continue;
      proj[m] += this.hitNorm[col];
      this.termWeight[this.terms] = 1;
      this.termOffset[this.terms++] = col * m;
    }
    const err = this.finish();
    return err >= 0 ? err : this.errorOfEncoded(denseRow(e, r, this.encoded));
  }

  /** The rare record where cancellation would cost digits (apart: the closure would cost every record an allocation). */
  private exactErrorOfRow(row: Readonly<Record<string, EncodedValue>>): number {
    encodeInto(this.model.encoder, (i) => row[this.names[i]], this.encoded, this.index);
    return this.errorOfEncoded(this.encoded);
  }

  private begin(): void {
    this.terms = 0;
    this.projection[this.axisCount] = this.baseNorm;
  }

  /** Adds feature i's part of c to the projection and to ‖c‖² (encoded as encodeInto does). */
  private add(i: number, v: EncodedValue): void {
    if (this.numeric[i] === 1) {
      // The common case first: a finite number needs no conversion.
      this.addNumber(i, typeof v === 'number' && v - v === 0 ? v : numericValue(v));
      return;
    }
    const k = this.index[i].get(categoryValue(v) ?? this.modes[i]);
    if (k === undefined) return;
    const col = this.firstColumn[i] + k;
    this.projection[this.axisCount] += this.hitNorm[col];
    this.termWeight[this.terms] = 1;
    this.termOffset[this.terms++] = col * this.axisCount;
  }

  /** Adds numeric feature i's part, its value already read by numericValue (NaN: missing, imputed with the mean). */
  private addNumber(i: number, x: number): void {
    const col = this.firstColumn[i];
    const mean = this.mean[i];
    const z = ((x === x ? x : mean) - mean) / this.scale[i] - this.centre[col];
    this.projection[this.axisCount] += z * z;
    this.termWeight[this.terms] = z;
    this.termOffset[this.terms++] = col * this.axisCount;
  }

  /** The error, or −1 when cancellation would make it inexact (the caller then forms the residual). */
  private finish(): number {
    const p = this.projection;
    const m = this.axisCount;
    this.project();
    let pp = 0;
    for (let a = 0; a < m; a++) pp += p[a] * p[a];
    if (this.residual) return Math.sqrt(pp);
    const ss = p[m] - pp;
    return ss > CANCELLATION_SHARE * p[m] ? Math.sqrt(ss) : -1;
  }

  /**
   * The projection from the gathered terms, four terms a pass over the axes: a quarter of the loads
   * and stores of the projection, and four independent products a step (measured: 210 ns for 20
   * terms on 13 axes, 470 ns one term a pass).
   */
  private project(): void {
    const m = this.axisCount;
    const p = this.projection;
    const by = this.byColumn;
    const w = this.termWeight;
    const at = this.termOffset;
    const n = this.terms;
    const base = this.baseProjection;
    for (let a = 0; a < m; a++) p[a] = base[a];
    let t = 0;
    for (; t + 3 < n; t += 4) {
      const w0 = w[t];
      const w1 = w[t + 1];
      const w2 = w[t + 2];
      const w3 = w[t + 3];
      for (let a = 0, o0 = at[t], o1 = at[t + 1], o2 = at[t + 2], o3 = at[t + 3]; a < m; a++, o0++, o1++, o2++, o3++) {
        p[a] += w0 * by[o0] + w1 * by[o1] + w2 * by[o2] + w3 * by[o3];
      }
    }
    for (; t < n; t++) {
      const wt = w[t];
      for (let a = 0, o = at[t]; a < m; a++, o++) p[a] += wt * by[o];
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
