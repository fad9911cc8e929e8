/**
 * Pearson's chi-squared test of homogeneity on the 2 × K table of current and reference counts, as
 * scipy.stats.chi2_contingency([cur, ref], correction=False): with row totals C (current) and
 * R (reference), column totals m_k and N = C + R, the expected counts are C·m_k/N and R·m_k/N,
 * X² = Σ (observed − expected)²/expected over both rows, and the p-value is the chi-squared survival
 * function with K − 1 degrees of freedom. Pearson (1900); Cochran (1954), "Some methods for
 * strengthening the common χ² tests", Biometrics 10(4).
 *
 * Both sides are samples, so under no drift X² → χ²(K − 1) whatever the two sizes: the reference's
 * own noise is part of the null distribution (the goodness-of-fit version, chi-squared-gof.ts,
 * reads it as drift). A category absent from both sides is dropped (scipy would divide by a zero
 * expected count); one seen on one side only is kept and counts fully. No Yates correction.
 * Fewer than two categories leave no degree of freedom: statistic 0, p-value 1, as scipy.
 */
import { chiSquaredSf } from '../gamma.js';
import type { CountMethod, DriftResult } from './method.js';

export interface HomogeneityResult extends DriftResult {
  pValue: number;
  /** Degrees of freedom: categories seen on either side, minus one. */
  dof: number;
}

export function chiSquaredHomogeneity(refCounts: Float64Array, curCounts: Float64Array): HomogeneityResult | undefined {
  if (refCounts.length !== curCounts.length || refCounts.length === 0) return undefined;
  let refSum = 0;
  let curSum = 0;
  let categories = 0;
  for (let k = 0; k < refCounts.length; k++) {
    refSum += refCounts[k];
    curSum += curCounts[k];
    if (refCounts[k] + curCounts[k] > 0) categories++;
  }
  if (!(refSum > 0) || !(curSum > 0)) return undefined;
  const dof = categories - 1;
  if (dof <= 0) return { value: 0, pValue: 1, dof: 0 };
  const total = curSum + refSum;
  let statistic = 0;
  for (let k = 0; k < refCounts.length; k++) {
    const column = curCounts[k] + refCounts[k];
    if (column === 0) continue;
    const expectedCur = (curSum * column) / total;
    const expectedRef = (refSum * column) / total;
    const dc = curCounts[k] - expectedCur;
    const dr = refCounts[k] - expectedRef;
    statistic += (dc * dc) / expectedCur + (dr * dr) / expectedRef;
  }
  return { value: statistic, pValue: chiSquaredSf(statistic, dof), dof };
}

export function chiSquared(refCounts: Float64Array, curCounts: Float64Array, refTotal: number, curTotal: number): DriftResult | undefined {
  if (!(refTotal > 0) || !(curTotal > 0)) return undefined;
  const result = chiSquaredHomogeneity(refCounts, curCounts);
  return result && { value: result.value, pValue: result.pValue };
}

export const ChiSquaredMethod = {
  name: 'chi_squared',
  types: ['categorical'],
  direction: 'p_value',
  defaultThreshold: 0.05,
  input: 'bins',
  kind: 'counts',
  compute: chiSquared,
} satisfies CountMethod;
