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
 * Eigenvectors by Householder + QL (../linalg/symmetric-eigen.ts). Equal to sklearn's
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
import { emptyRows, encodeRows, type EncodedRows } from './encoded-rows.js';
import { combinedMoments, foldMoments, type Moments } from './fold-moments.js';
import { columnLength, type ColumnValues } from './column-values.js';
import { fitEncoder, readColumns } from './fit-encoder.js';
import type { EncodedValue } from './record-encoder.js';
import type { ReconstructionModel } from './reconstruction-model.js';
import { ReconstructionScorer } from './reconstruction-scorer.js';

export const DEFAULT_EXPLAINED_VARIANCE = 0.65;

export interface FitOptions {
  explainedVariance?: number;
  maxCategories?: number;
}

/** Encoded widths above this get no model: the fit is O(d³) per eigen-decomposition, and every record costs O(features·k). */
export const MAX_ENCODED_WIDTH = 256;

/** Undefined when there are fewer than two rows or no column with any variance. */
export function fitReconstruction(
  columns: { name: string; type: 'numeric' | 'categorical'; values: ColumnValues }[],
  options: FitOptions = {},
): ReconstructionModel | undefined {
  const rows = columns.length > 0 ? columnLength(columns[0].values) : 0;
  if (rows < 2 || columns.length === 0) return undefined;
  const read = readColumns(columns);
  const encoder = fitEncoder(read, options.maxCategories);
  if (encoder.width > MAX_ENCODED_WIDTH) return undefined;
  const x = encodeRows(encoder, read, rows);
  const share = options.explainedVariance ?? DEFAULT_EXPLAINED_VARIANCE;
  // Out-of-sample errors by 2-fold cross-fitting: a record's error under axes fitted without it.
  // One pass gives both folds' moments; the whole reference's are combined from them.
  const fold = folds(rows);
  const [a, b] = foldMoments(x, fold);
  const pca = principalAxes(combinedMoments(a, b), share);
  if (!pca) return undefined;
  const model: ReconstructionModel = { method: 'pca_reconstruction', encoder, ...pca, referenceMean: 0, referenceStd: 0, heldOutMean: 0, heldOutStd: 0, rows };
  [model.referenceMean, model.referenceStd] = meanAndStd([errorsOf(model, x, fold, ALL_ROWS)]);
  const heldOut: Float64Array[] = [];
  for (const [fitted, scored] of [[a, 1], [b, 0]] as const) {
    const axes = fitted.n >= 2 ? principalAxes(fitted, share) : undefined;
    if (axes) heldOut.push(errorsOf({ ...model, ...axes }, x, fold, scored));
  }
  [model.heldOutMean, model.heldOutStd] = heldOut.length > 0 ? meanAndStd(heldOut) : [model.referenceMean, model.referenceStd];
  return model;
}

/** Centre, the first k axes and their explained share, from the moments of the rows fitted on. */
function principalAxes(m: Moments, share: number): Pick<ReconstructionModel, 'centre' | 'components' | 'residualAxes' | 'explainedVariance'> | undefined {
  const d = m.mean.length;
  const covariance = new Float64Array(d * d);
  for (let i = 0; i < d * d; i++) covariance[i] = m.comoment[i] / (m.n - 1);
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
    centre: [...m.mean],
    components: vectors.slice(0, k).map((v) => [...v]),
    residualAxes: d - k < k ? vectors.slice(k).map((v) => [...v]) : undefined,
    explainedVariance: values.slice(0, k).reduce((s, v) => s + Math.max(0, v), 0) / total,
  };
}

const ALL_ROWS = -1;

/** The errors of the rows of one fold (ALL_ROWS: of every row), in row order. */
function errorsOf(model: ReconstructionModel, x: EncodedRows, fold: Uint8Array, which: number): Float64Array {
  const scorer = new ReconstructionScorer(model);
  if (which === ALL_ROWS) {
    const errors = new Float64Array(x.rows);
    scorer.errors(x, 0, x.rows, errors, 0);
    return errors;
  }
  let count = 0;
  for (let r = 0; r < x.rows; r++) if (fold[r] === which) count++;
  const rows = new Int32Array(count);
  for (let r = 0, i = 0; r < x.rows; r++) if (fold[r] === which) rows[i++] = r;
  const errors = new Float64Array(count);
  scorer.errorsOfRows(x, rows, errors);
  return errors;
}

/** Mean and population standard deviation of the values of the parts taken together. */
function meanAndStd(parts: Float64Array[]): [number, number] {
  let mean = 0;
  let n = 0;
  for (const values of parts) for (const v of values) mean += v;
  for (const values of parts) n += values.length;
  mean /= n;
  let squares = 0;
  for (const values of parts) for (const v of values) squares += (v - mean) ** 2;
  return [mean, Math.sqrt(squares / n)];
}

/** A seeded split of the rows into two folds, 0 and 1 (every other row of a fixed shuffle). */
function folds(rows: number): Uint8Array {
  const order = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  const rand = mulberry32(rows);
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  const fold = new Uint8Array(rows);
  for (let i = 1; i < rows; i += 2) fold[order[i]] = 1;
  return fold;
}

/** Records a batch report encodes before scoring them together. */
const SCORED_BLOCK = 256;

/** The mean error of many records given as columns (the batch report). */
export function meanReconstructionError(model: ReconstructionModel, columns: readonly (readonly EncodedValue[])[]): { mean: number; errors: Float64Array } {
  const rows = columns[0]?.length ?? 0;
  const scorer = new ReconstructionScorer(model);
  // Encoded and scored a block at a time (the scorer takes rows in pairs); each error is the one the record gets alone.
  const errors = new Float64Array(rows);
  const block = emptyRows(model.encoder, Math.min(rows, SCORED_BLOCK));
  for (let from = 0; from < rows; from += SCORED_BLOCK) {
    const n = Math.min(SCORED_BLOCK, rows - from);
    for (let i = 0; i < n; i++) scorer.encoding.fromValues((f) => columns[f][from + i], block, i);
    scorer.errors(block, 0, n, errors, from);
  }
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
