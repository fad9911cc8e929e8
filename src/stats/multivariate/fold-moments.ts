/**
 * Column means and centred co-moments M = Σ (x − μ)ᵀ(x − μ) of the encoded reference, for the two
 * folds of its 2-fold cross-fitting in one pass over the rows, and for the whole reference by
 * combining the folds' (Chan, Golub & LeVeque, "Updating formulae and a pairwise algorithm for
 * computing sample variances", 1979): M = M_a + M_b + (n_a·n_b/n)·δᵀδ with δ = μ_a − μ_b. The same
 * matrices as three dense passes, to rounding, for about an eighth of the work.
 *
 * A row is read compactly (encoded-rows.ts): its centred numeric values c, and the one-hot columns
 * it sets. With e a one-hot column (0 or 1, mean μₑ = count/n):
 *   numeric × numeric   Σ cᵢcⱼ                                   dense over the numeric part only
 *   numeric × one-hot   Σ cᵢ(e − μₑ) = Σ_{rows that set e} cᵢ − μₑ·Σ cᵢ
 *   one-hot × one-hot   Σ (e − μₑ)(f − μ_f) = N_ef − countₑ·count_f/n   (N_ef: rows that set both)
 * so a row costs O(p² + p·q + q²) for p numeric and q categorical features, not O(d²) over the
 * whole one-hot width; the counts are exact integers.
 */
import type { EncodedRows } from './encoded-rows.js';

export interface Moments {
  n: number;
  /** Column means. */
  mean: Float64Array;
  /** d × d, row-major, upper triangle (i ≤ j) only: Σ (xᵢ − μᵢ)(xⱼ − μⱼ). */
  comoment: Float64Array;
}

/** The moments of the rows with fold[r] = 0 and of those with fold[r] = 1. */
export function foldMoments(e: EncodedRows, fold: Uint8Array): [Moments, Moments] {
  const { rows, width: d, numericColumns, numbers, categorical: q, hits } = e;
  const p = numericColumns.length;
  const n = [0, 0];
  const sums = [new Float64Array(d), new Float64Array(d)];
  for (let r = 0; r < rows; r++) {
    const s = sums[fold[r]];
    n[fold[r]]++;
    for (let j = 0, o = r * p; j < p; j++, o++) s[numericColumns[j]] += numbers[o];
    for (let h = 0, o = r * q; h < q; h++, o++) if (hits[o] >= 0) s[hits[o]]++;
  }
  const means = sums.map((s, f) => s.map((v) => v / n[f]));
  const comoments = [new Float64Array(d * d), new Float64Array(d * d)];
  // Per fold: Σ cᵢ over its rows (0 but for rounding; kept so the one-hot correction is exact).
  const centredSums = [new Float64Array(p), new Float64Array(p)];
  const c = new Float64Array(p);
  for (let r = 0; r < rows; r++) {
    const f = fold[r];
    const m = comoments[f];
    const mu = means[f];
    const total = centredSums[f];
    for (let j = 0, o = r * p; j < p; j++, o++) {
      c[j] = numbers[o] - mu[numericColumns[j]];
      total[j] += c[j];
    }
    // numericColumns ascend, so (numericColumns[j], numericColumns[l ≥ j]) is in the upper triangle.
    for (let j = 0; j < p; j++) {
      const cj = c[j];
      const row = numericColumns[j] * d;
      for (let l = j; l < p; l++) m[row + numericColumns[l]] += cj * c[l];
    }
    for (let h = 0, o = r * q; h < q; h++, o++) {
      const hit = hits[o];
      if (hit < 0) continue;
      for (let j = 0; j < p; j++) {
        const col = numericColumns[j];
        m[col < hit ? col * d + hit : hit * d + col] += c[j];
      }
      for (let g = h + 1, o2 = o + 1; g < q; g++, o2++) {
        const other = hits[o2];
        if (other >= 0) m[hit < other ? hit * d + other : other * d + hit]++;
      }
    }
  }
  const oneHot = oneHotColumns(d, numericColumns);
  return [0, 1].map((f): Moments => {
    const m = comoments[f];
    const mu = means[f];
    const counts = sums[f];
    for (let j = 0; j < p; j++) {
      const col = numericColumns[j];
      for (const e of oneHot) m[col < e ? col * d + e : e * d + col] -= mu[e] * centredSums[f][j];
    }
    for (let a = 0; a < oneHot.length; a++) {
      const e = oneHot[a];
      for (let b = a; b < oneHot.length; b++) {
        const g = oneHot[b];
        // The diagonal's N_ee is the count itself (a row that sets e sets it once).
        m[e * d + g] = (a === b ? counts[e] : m[e * d + g]) - (counts[e] * counts[g]) / n[f];
      }
    }
    return { n: n[f], mean: mu, comoment: m };
  }) as [Moments, Moments];
}

/** The moments of the union of two disjoint sets of rows. */
export function combinedMoments(a: Moments, b: Moments): Moments {
  const n = a.n + b.n;
  const d = a.mean.length;
  const mean = a.mean.map((ma, j) => (a.n * ma + b.n * b.mean[j]) / n);
  const delta = a.mean.map((ma, j) => ma - b.mean[j]);
  const weight = (a.n * b.n) / n;
  const comoment = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = i; j < d; j++) comoment[i * d + j] = a.comoment[i * d + j] + b.comoment[i * d + j] + weight * delta[i] * delta[j];
  }
  return { n, mean, comoment };
}

function oneHotColumns(d: number, numericColumns: Int32Array): number[] {
  const numeric = new Uint8Array(d);
  for (const col of numericColumns) numeric[col] = 1;
  const out: number[] = [];
  for (let col = 0; col < d; col++) if (numeric[col] === 0) out.push(col);
  return out;
}
