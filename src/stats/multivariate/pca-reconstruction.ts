/**
 * Multivariate drift by data reconstruction, as NannyML's DataReconstructionDriftCalculator defines
 * it: records are encoded (record-encoder.ts), a PCA keeping a share of the variance (default 65 %)
 * is fitted on the encoded reference, and a record's reconstruction error is the Euclidean distance
 * between its encoded vector x and its reconstruction x̂ = μ + (x − μ)·VₖᵀVₖ. The drift score of a
 * window is the mean error of its records. A change in how features vary together — a correlation
 * that flips with every marginal unchanged — moves records off the reference's principal subspace
 * and raises the score, which no univariate method can see.
 *
 * PCA as scikit-learn's PCA(n_components=share, svd_solver="full"): centred by the reference mean,
 * eigenvalues of the covariance (n − 1), k = the fewest components whose cumulative explained
 * variance ratio exceeds the share (numpy searchsorted(cumsum, share, side="right") + 1).
 * Eigenvectors by the Jacobi method (../linalg/symmetric-eigen.ts). Equal to sklearn's
 * StandardScaler/OneHotEncoder + PCA pipeline within 1e-9 on the committed fixtures.
 *
 * Thresholds. `std` (NannyML's default): mean ± 3 standard deviations of the score over reference
 * chunks; for a window of n records, the mean reference error ± 3·sd/√n (the spread of a mean of n
 * independent records). Drift when the score leaves that band. Those are in-sample errors (the
 * axes were fitted on the same records), a little lower than a new record's. `auto`: an upper
 * bound only, at the false-alarm rate α, from out-of-sample errors (2-fold cross-fitting: each
 * half of the reference scored by axes fitted on the other half): held-out mean + z₁₋α·sd/√n.
 * NannyML: "Multivariate Drift Detection: Data Reconstruction with PCA", docs.nannyml.com.
 */
import { chiSquaredSf } from '../gamma.js';
import { symmetricEigen } from '../linalg/symmetric-eigen.js';
import { mulberry32 } from '../random.js';
import { categoryIndex, categoryValue, encodeInto, fitEncoder, numericValue, type EncodedValue, type RecordEncoder } from './record-encoder.js';

export const DEFAULT_EXPLAINED_VARIANCE = 0.65;

/** JSON-safe: saved in the reference profile. */
export interface ReconstructionModel {
  method: 'pca_reconstruction';
  encoder: RecordEncoder;
  /** Column means of the encoded reference (the PCA centre). */
  centre: number[];
  /** Vₖ: the k principal axes, each of encoder.width values. */
  components: number[][];
  /**
   * The other d − k axes, kept when there are fewer of them than k: the error is then the length of
   * the record's projection on them, ‖(x − μ)V_restᵀ‖ (the same number, with fewer operations).
   */
  residualAxes?: number[][];
  /** Share of the encoded reference's variance the k components keep. */
  explainedVariance: number;
  /** Reconstruction error of the reference records: mean and population standard deviation. */
  referenceMean: number;
  referenceStd: number;
  /** The same, out of sample: each record scored by axes fitted on the other half of the reference. */
  heldOutMean: number;
  heldOutStd: number;
  /** Reference rows the model was fitted on. */
  rows: number;
}

export interface FitOptions {
  explainedVariance?: number;
  maxCategories?: number;
}

/** Encoded widths above this get no model: the Jacobi solver is O(d³) per sweep, and every record costs O(d·k). */
export const MAX_ENCODED_WIDTH = 256;

/** Undefined when there are fewer than two rows or no column with any variance. */
export function fitReconstruction(
  columns: { name: string; type: 'numeric' | 'categorical'; values: readonly EncodedValue[] }[],
  options: FitOptions = {},
): ReconstructionModel | undefined {
  const rows = columns[0]?.values.length ?? 0;
  if (rows < 2 || columns.length === 0) return undefined;
  const encoder = fitEncoder(columns, options.maxCategories);
  const d = encoder.width;
  if (d > MAX_ENCODED_WIDTH) return undefined;
  const x = encodeAll(encoder, columns.map((c) => c.values), rows);
  const share = options.explainedVariance ?? DEFAULT_EXPLAINED_VARIANCE;
  const all = Uint32Array.from({ length: rows }, (_, i) => i);
  const pca = principalAxes(x, d, all, share);
  if (!pca) return undefined;
  const model: ReconstructionModel = { method: 'pca_reconstruction', encoder, ...pca, referenceMean: 0, referenceStd: 0, heldOutMean: 0, heldOutStd: 0, rows };
  [model.referenceMean, model.referenceStd] = meanAndStd(errorsOf(model, x, all));
  // Out-of-sample errors by 2-fold cross-fitting: a record's error under axes fitted without it.
  const [a, b] = halves(rows);
  const heldOut: number[] = [];
  for (const [fitRows, scoreRows] of [[a, b], [b, a]]) {
    const axes = fitRows.length >= 2 ? principalAxes(x, d, fitRows, share) : undefined;
    if (axes) heldOut.push(...errorsOf({ ...model, ...axes }, x, scoreRows));
  }
  [model.heldOutMean, model.heldOutStd] = heldOut.length > 0 ? meanAndStd(Float64Array.from(heldOut)) : [model.referenceMean, model.referenceStd];
  return model;
}

/** Centre, the first k axes and their explained share, from the given rows of an encoded matrix. */
function principalAxes(x: Float64Array, d: number, rows: Uint32Array, share: number): Pick<ReconstructionModel, 'centre' | 'components' | 'residualAxes' | 'explainedVariance'> | undefined {
  const n = rows.length;
  const centre = new Float64Array(d);
  for (const r of rows) for (let j = 0; j < d; j++) centre[j] += x[r * d + j];
  for (let j = 0; j < d; j++) centre[j] /= n;
  const covariance = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (const r of rows) {
    for (let j = 0; j < d; j++) row[j] = x[r * d + j] - centre[j];
    for (let i = 0; i < d; i++) {
      const ri = row[i];
      if (ri === 0) continue;
      for (let j = i; j < d; j++) covariance[i * d + j] += ri * row[j];
    }
  }
  for (let i = 0; i < d * d; i++) covariance[i] /= n - 1;
  const { values, vectors } = symmetricEigen(covariance, d);
  let total = 0;
  for (const v of values) total += Math.max(0, v);
  if (!(total > 0)) return undefined;
  // sklearn: k = searchsorted(cumsum(ratio), share, side="right") + 1.
  let k = 0;
  let cumulative = 0;
  while (k < d && cumulative + Math.max(0, values[k]) / total <= share) cumulative += Math.max(0, values[k++]) / total;
  k = Math.min(d, k + 1);
  return {
    centre: [...centre],
    components: vectors.slice(0, k).map((v) => [...v]),
    residualAxes: d - k < k ? vectors.slice(k).map((v) => [...v]) : undefined,
    explainedVariance: values.slice(0, k).reduce((s, v) => s + Math.max(0, v), 0) / total,
  };
}

function errorsOf(model: ReconstructionModel, x: Float64Array, rows: Uint32Array): Float64Array {
  const d = model.encoder.width;
  const scorer = new ReconstructionScorer(model);
  return Float64Array.from(rows, (r) => scorer.errorOfEncoded(x.subarray(r * d, (r + 1) * d)));
}

function meanAndStd(values: Float64Array): [number, number] {
  let mean = 0;
  for (const v of values) mean += v;
  mean /= values.length;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return [mean, Math.sqrt(squares / values.length)];
}

/** A seeded split of the rows into two halves (every other row of a fixed shuffle). */
function halves(rows: number): [Uint32Array, Uint32Array] {
  const order = Uint32Array.from({ length: rows }, (_, i) => i);
  const rand = mulberry32(rows);
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const a = order.filter((_, i) => i % 2 === 0).sort();
  const b = order.filter((_, i) => i % 2 === 1).sort();
  return [a, b];
}

function encodeAll(encoder: RecordEncoder, columns: readonly (readonly EncodedValue[])[], rows: number): Float64Array {
  const d = encoder.width;
  const x = new Float64Array(rows * d);
  const index = categoryIndex(encoder);
  for (let r = 0; r < rows; r++) encodeInto(encoder, (f) => columns[f][r], x.subarray(r * d, (r + 1) * d), index);
  return x;
}

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

  /** The rare record where cancellation would cost digits (apart: the closure would cost every record an allocation). */
  private exactErrorOfRow(row: Readonly<Record<string, EncodedValue>>): number {
    encodeInto(this.model.encoder, (i) => row[this.names[i]], this.encoded, this.index);
    return this.errorOfEncoded(this.encoded);
  }

  private begin(): void {
    this.projection.set(this.baseProjection);
    this.projection[this.axisCount] = this.baseNorm;
  }

  /** Adds feature i's part of c to the projection and to ‖c‖² (encoded as encodeInto does). */
  private add(i: number, v: EncodedValue): void {
    const m = this.axisCount;
    const p = this.projection;
    const by = this.byColumn;
    if (this.numeric[i] === 1) {
      const col = this.firstColumn[i];
      const mean = this.mean[i];
      // The common case first: a finite number needs no conversion.
      const x = typeof v === 'number' && v - v === 0 ? v : numericValue(v);
      const z = ((x === x ? x : mean) - mean) / this.scale[i] - this.centre[col];
      p[m] += z * z;
      for (let a = 0, at = col * m; a < m; a++, at++) p[a] += z * by[at];
      return;
    }
    const k = this.index[i].get(categoryValue(v) ?? this.modes[i]);
    if (k === undefined) return;
    const col = this.firstColumn[i] + k;
    p[m] += this.hitNorm[col];
    for (let a = 0, at = col * m; a < m; a++, at++) p[a] += by[at];
  }

  /** The error, or −1 when cancellation would make it inexact (the caller then forms the residual). */
  private finish(): number {
    const p = this.projection;
    const m = this.axisCount;
    let pp = 0;
    for (let a = 0; a < m; a++) pp += p[a] * p[a];
    if (this.residual) return Math.sqrt(pp);
    const ss = p[m] - pp;
    return ss > CANCELLATION_SHARE * p[m] ? Math.sqrt(ss) : -1;
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

/** The mean error of many records given as columns (the batch report). */
export function meanReconstructionError(model: ReconstructionModel, columns: readonly (readonly EncodedValue[])[]): { mean: number; errors: Float64Array } {
  const rows = columns[0]?.length ?? 0;
  const scorer = new ReconstructionScorer(model);
  const errors = Float64Array.from({ length: rows }, (_, r) => scorer.error((f) => columns[f][r]));
  let sum = 0;
  for (const e of errors) sum += e;
  return { mean: rows > 0 ? sum / rows : NaN, errors };
}

/** NannyML's band for a window of n records: reference mean ± multiplier·sd/√n. */
export function reconstructionBand(model: ReconstructionModel, n: number, multiplier = 3): { lower: number; upper: number } {
  const half = (multiplier * model.referenceStd) / Math.sqrt(Math.max(1, n));
  return { lower: Math.max(0, model.referenceMean - half), upper: model.referenceMean + half };
}

/** `auto`: upper bound at false-alarm rate α for a window of n records, from the held-out errors (normal approximation of the mean). */
export function reconstructionAutoThreshold(model: ReconstructionModel, n: number, alpha: number): number {
  return model.heldOutMean + (normalQuantile(1 - alpha) * model.heldOutStd) / Math.sqrt(Math.max(1, n));
}

/** Φ⁻¹(p) for p in (0.5, 1), by bisection on the upper tail P(Z > z) = chi2.sf(z², 1)/2. */
export function normalQuantile(p: number): number {
  let lo = 0;
  let hi = 40;
  for (let i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
    const mid = (lo + hi) / 2;
    if (chiSquaredSf(mid * mid, 1) / 2 > 1 - p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
