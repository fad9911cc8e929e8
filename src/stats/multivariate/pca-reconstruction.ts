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
import { categoryIndex, encodeInto, fitEncoder, type EncodedValue, type RecordEncoder } from './record-encoder.js';
import type { ReconstructionModel } from './reconstruction-model.js';
import { ReconstructionScorer } from './reconstruction-scorer.js';

export const DEFAULT_EXPLAINED_VARIANCE = 0.65;

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
