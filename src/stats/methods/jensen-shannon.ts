/**
 * Jensen–Shannon distance, base 2, as scipy.spatial.distance.jensenshannon(r, c, base=2):
 * both vectors normalised to sum 1, m = (r + c) / 2, JS = sqrt((KL(r‖m) + KL(c‖m)) / 2 / ln 2).
 * Raw proportions (no ε): 0·ln 0 = 0 and m > 0 wherever either side is > 0, so it is always finite,
 * bounded in [0, 1]. Lin (1991), "Divergence measures based on the Shannon entropy"; Endres &
 * Schindelin (2003) for the square root being a metric.
 */
import { comparable, total } from '../proportions.js';
import type { DriftResult, ProportionMethod } from './method.js';

export function jensenShannon(r: Float64Array, c: Float64Array): DriftResult | undefined {
  if (!comparable(r, c)) return undefined;
  const rTotal = total(r);
  const cTotal = total(c);
  let left = 0;
  let right = 0;
  for (let i = 0; i < r.length; i++) {
    const p = r[i] / rTotal;
    const q = c[i] / cTotal;
    const m = (p + q) / 2;
    if (p > 0) left += p * Math.log(p / m);
    if (q > 0) right += q * Math.log(q / m);
  }
  const js = (left + right) / Math.LN2;
  // Rounding can leave a tiny negative for identical inputs; the distance is 0 there.
  return { value: Math.sqrt(Math.max(0, js / 2)) };
}

export const JensenShannonMethod = {
  name: 'jensen_shannon',
  types: ['numeric', 'categorical'],
  direction: 'distance',
  noiseExponent: 0.5,
  pivotScale: 1 / (8 * Math.LN2),
  defaultThreshold: 0.1,
  input: 'bins',
  kind: 'proportions',
  compute: jensenShannon,
} satisfies ProportionMethod;
