/**
 * Pearson's chi-squared goodness of fit of the current counts against the reference proportions, as
 * scipy.stats.chisquare(f_obs, f_exp): f_obs = current counts per category, f_exp = n_cur · r/Σr
 * with zero reference proportions replaced by ε first (a category new in current would otherwise
 * have expected count 0 and an infinite statistic). Statistic Σ (o − e)²/e, p-value the chi-squared
 * survival function with k − 1 degrees of freedom. Pearson (1900).
 *
 * It treats the reference proportions as the truth, so the reference's own sampling noise is read
 * as drift: under no drift X² ≈ (1 + n_cur/n_ref)·χ²(k − 1), not χ²(k − 1). Kept for comparison with
 * tools that use it (Evidently's `chisquare`); `chi_squared` is the two-sample test of homogeneity.
 * A single category leaves no degree of freedom: statistic 0, p-value 1 (scipy gives NaN there).
 */
import { chiSquaredSf } from '../gamma.js';
import { toProportions, withEpsilon } from '../proportions.js';
import type { CountMethod, DriftResult } from './method.js';

export function chiSquaredGof(
  refCounts: Float64Array,
  curCounts: Float64Array,
  refTotal: number,
  curTotal: number,
): DriftResult | undefined {
  if (refCounts.length !== curCounts.length || refCounts.length === 0) return undefined;
  if (!(refTotal > 0) || !(curTotal > 0)) return undefined;
  const r = withEpsilon(toProportions(refCounts, refTotal));
  let rSum = 0;
  for (let i = 0; i < r.length; i++) rSum += r[i];
  let statistic = 0;
  for (let i = 0; i < r.length; i++) {
    const expected = (curTotal * r[i]) / rSum;
    const difference = curCounts[i] - expected;
    statistic += (difference * difference) / expected;
  }
  const dof = r.length - 1;
  if (dof === 0) return { value: 0, pValue: 1 };
  return { value: statistic, pValue: chiSquaredSf(statistic, dof) };
}

export const ChiSquaredGofMethod = {
  name: 'chi_squared_gof',
  types: ['categorical'],
  direction: 'p_value',
  defaultThreshold: 0.05,
  input: 'bins',
  kind: 'counts',
  compute: chiSquaredGof,
} satisfies CountMethod;
