/**
 * Thresholds calibrated to a false-alarm rate: for a distance method, the threshold τ that a window
 * of n values drawn like the reference crosses with probability α, i.e. the (1 − α) quantile of
 * the method's value under no drift at the live sizes (n_ref, n), estimated from the reference.
 *
 * Procedure: a two-sample bootstrap of the whole comparison (Efron & Tibshirani, "An Introduction
 * to the Bootstrap", 1993, §16.2). In each of K seeded draws
 *   1. a stand-in reference R* of n_ref rows and a window W* of n rows are drawn, independently and
 *      with replacement, from the reference rows;
 *   2. R* is binned as a reference is (numeric: its own quantile edges; categorical: the reference's
 *      categories, folded by the evaluator by the pooled counts of R* and W*), W* is counted in those bins;
 *   3. the methods are computed on (R*, W*) exactly as on a live (reference, window) pair.
 * R* and W* are two independent samples of the reference's distribution, so each value carries the
 * noise of both sides — the reference's own included, as every live comparison does — and the
 * window has the live size, so each method's small-sample behaviour (empty bins, the ε floor,
 * Wasserstein's reference standard deviation, categories one side lacks) is reproduced rather than
 * approximated. Rows beyond C (default 2000) per side are not drawn: a value drawn at sizes
 * (m, k) is moved to the live sizes by the method's noise law — under no drift a distance grows
 * like s^γ, s = 1/n_ref + 1/n (γ = 1 for psi and KL, ½ for the Jensen–Shannon, Hellinger and
 * Wasserstein distances) — as v·(s_live/s_drawn)^γ; at 2000 rows the law holds to a few per cent.
 *
 * The threshold is the ⌈(1 − α)(K + 1)⌉-th smallest of the K values, the rank a Monte Carlo test
 * uses (Davison & Hinkley, "Bootstrap Methods and their Application", 1997, §4.2.1).
 *
 * Why not windows drawn without replacement from a held-out part of the reference: exact for one
 * draw, but a window can then be no larger than the held-out part (a 10 000-row window against a
 * 200-row reference), what is left is a smaller reference than the live one, and the rescaling
 * that both need was measured to leave psi and Hellinger at 0.2–0.5 α. And why not the live
 * reference itself against resampled windows: its quantile edges fit it exactly, which a window
 * of the population never sees, so that overstates psi by 5–10 % (measured).
 *
 * Pure, deterministic for a seed, O(K·(C + n)). The methods are evaluated by a function passed in
 * (the drift scorer passes its own, so calibration computes exactly what a live verdict computes).
 */
import { quantileEdges } from './quantile-edges.js';
import { binIndex } from './binning.js';
import { mulberry32 } from './random.js';

/** The reference as calibration draws from it. */
export type CalibrationPopulation =
  | {
      type: 'numeric';
      /** Ascending reference values (the profile's sample). */
      values: Float64Array;
      /** B: quantile bins, as the reference was binned. */
      bins: number;
      /** Rows of the live reference (the sample may hold fewer). */
      referenceSize: number;
    }
  | {
      type: 'categorical';
      /** The bin of each reference row. */
      codes: Int32Array;
      nBins: number;
      referenceSize: number;
      /**
       * The binner's `__other__` bin. When a stand-in reference holds rows of it (its profile was
       * capped), a category the stand-in lacks counts in `__other__` on the window's side, as the
       * binner counts a live window's categories that a capped reference profile does not list.
       */
      otherBin?: number;
    };

/** One draw, as the methods take it: bin counts of both sides and (numeric) their sorted values. */
export interface CalibrationDraw {
  refCounts: Float64Array;
  curCounts: Float64Array;
  refTotal: number;
  curTotal: number;
  refSorted?: Float64Array;
  curSorted?: Float64Array;
}

export interface CalibrationOptions {
  /** False-alarm rates to calibrate for (each gets a threshold per method). */
  alphas: readonly number[];
  /** Exponent γ per method: its value grows like (1/n_ref + 1/n_cur)^γ under no drift. */
  exponents: readonly number[];
  /** K, the number of draws; default 2000. */
  draws?: number;
  /** C, the most rows drawn per side; default 2000. */
  maxRows?: number;
  seed?: number;
}

export interface Calibration {
  /** thresholds[method][alpha index]; NaN for a method that gave no finite value. */
  thresholds: Float64Array[];
  /** The sorted, rescaled values per method (for the bench and tests). */
  draws: Float64Array[];
  /** The sizes drawn per side. */
  referenceRows: number;
  windowRows: number;
}

export const DEFAULT_DRAWS = 2000;
export const DEFAULT_MAX_ROWS = 2000;

/** The rank (0-based) of the (1 − α) threshold among K sorted draws, as a Monte Carlo test takes it. */
export function quantileRank(k: number, alpha: number): number {
  return Math.max(0, Math.min(k, Math.ceil((1 - alpha) * (k + 1))) - 1);
}

/** Rows the population holds. */
function populationRows(p: CalibrationPopulation): number {
  return p.type === 'numeric' ? p.values.length : p.codes.length;
}

export function calibrateThresholds(
  population: CalibrationPopulation,
  windowSize: number,
  evaluate: (draw: CalibrationDraw) => Float64Array,
  options: CalibrationOptions,
): Calibration | undefined {
  const rows = populationRows(population);
  if (rows < 2 || !(windowSize >= 1)) return undefined;
  const k = options.draws ?? DEFAULT_DRAWS;
  const cap = options.maxRows ?? DEFAULT_MAX_ROWS;
  const m = Math.max(2, Math.min(population.referenceSize, cap));
  const n = Math.max(1, Math.min(Math.round(windowSize), cap));
  const ratio = (1 / population.referenceSize + 1 / windowSize) / (1 / m + 1 / n);
  const scale = options.exponents.map((g) => ratio ** g);
  const rand = mulberry32(options.seed ?? 1);
  const drawOne = population.type === 'numeric' ? numericDrawer(population, m, n, rand) : categoricalDrawer(population, m, n, rand);
  const samples = scale.map(() => new Float64Array(k));
  const counts = scale.map(() => 0);
  for (let d = 0; d < k; d++) {
    const v = evaluate(drawOne());
    for (let j = 0; j < scale.length; j++) if (Number.isFinite(v[j])) samples[j][counts[j]++] = v[j] * scale[j];
  }
  const sorted = samples.map((s, j) => s.slice(0, counts[j]).sort());
  const thresholds = sorted.map((s) => Float64Array.from(options.alphas, (alpha) => (s.length === 0 ? NaN : s[quantileRank(s.length, alpha)])));
  return { thresholds, draws: sorted, referenceRows: m, windowRows: n };
}

/** Draws m and n rows with replacement from ascending values, each returned ascending (a counting sort over row indices). */
function numericDrawer(p: Extract<CalibrationPopulation, { type: 'numeric' }>, m: number, n: number, rand: () => number): () => CalibrationDraw {
  const { values } = p;
  const rows = values.length;
  const refSorted = new Float64Array(m);
  const curSorted = new Float64Array(n);
  // Few rows: count hits per row and walk them; many rows: sort the drawn row indices instead.
  const counting = rows <= 8 * Math.max(m, n);
  const hits = new Uint32Array(counting ? rows : 0);
  const picks = new Uint32Array(counting ? 0 : Math.max(m, n));
  const sortedDraw = (out: Float64Array): void => {
    if (counting) {
      hits.fill(0);
      for (let i = 0; i < out.length; i++) hits[Math.floor(rand() * rows)]++;
      let at = 0;
      for (let r = 0; r < rows; r++) for (let t = hits[r]; t > 0; t--) out[at++] = values[r];
      return;
    }
    const drawn = picks.subarray(0, out.length);
    for (let i = 0; i < drawn.length; i++) drawn[i] = Math.floor(rand() * rows);
    drawn.sort();
    for (let i = 0; i < drawn.length; i++) out[i] = values[drawn[i]];
  };
  return () => {
    sortedDraw(refSorted);
    sortedDraw(curSorted);
    const edges = quantileEdges(refSorted, p.bins);
    return { refCounts: countSorted(edges, refSorted), curCounts: countSorted(edges, curSorted), refTotal: m, curTotal: n, refSorted, curSorted };
  };
}

/** Bin counts of an ascending sample: one walk, bin = number of edges below the value. */
function countSorted(edges: Float64Array, sorted: Float64Array): Float64Array {
  const counts = new Float64Array(edges.length + 1);
  let bin = sorted.length > 0 ? binIndex(edges, sorted[0]) : 0;
  for (let i = 0; i < sorted.length; i++) {
    while (bin < edges.length && edges[bin] < sorted[i]) bin++;
    counts[bin]++;
  }
  return counts;
}

function categoricalDrawer(p: Extract<CalibrationPopulation, { type: 'categorical' }>, m: number, n: number, rand: () => number): () => CalibrationDraw {
  const { codes } = p;
  const rows = codes.length;
  const refCounts = new Float64Array(p.nBins);
  const curCounts = new Float64Array(p.nBins);
  const other = p.otherBin;
  // Rare categories are folded by the evaluator (the scorer's category fold, by pooled counts), as live.
  return () => {
    refCounts.fill(0);
    curCounts.fill(0);
    for (let i = 0; i < m; i++) refCounts[codes[Math.floor(rand() * rows)]]++;
    for (let i = 0; i < n; i++) curCounts[codes[Math.floor(rand() * rows)]]++;
    if (other !== undefined && refCounts[other] > 0) {
      for (let k = 0; k < curCounts.length; k++) {
        if (k === other || refCounts[k] > 0) continue;
        curCounts[other] += curCounts[k];
        curCounts[k] = 0;
      }
    }
    return { refCounts, curCounts, refTotal: m, curTotal: n };
  };
}


/**
 * A categorical reference as rows: counts[k] rows of bin k. Past maxRows the counts are scaled down
 * to maxRows in proportion (largest remainders), a stand-in for a uniform sample of the rows.
 */
export function categoricalPopulation(
  counts: ArrayLike<number>,
  otherBin?: number,
  maxRows = 100_000,
): CalibrationPopulation | undefined {
  let total = 0;
  for (let k = 0; k < counts.length; k++) total += counts[k];
  if (!(total > 0)) return undefined;
  const rows = Math.min(total, maxRows);
  const share = Float64Array.from({ length: counts.length }, (_, k) => (counts[k] * rows) / total);
  const kept = Float64Array.from(share, Math.floor);
  let left = rows - kept.reduce((a, b) => a + b, 0);
  const byRemainder = [...share.keys()].sort((a, b) => share[b] - kept[b] - (share[a] - kept[a]) || a - b);
  for (const k of byRemainder) {
    if (left <= 0) break;
    kept[k]++;
    left--;
  }
  const codes = new Int32Array(rows);
  let at = 0;
  for (let k = 0; k < kept.length; k++) codes.fill(k, at, (at += kept[k]));
  return { type: 'categorical', codes, nBins: counts.length, referenceSize: total, otherBin };
}
