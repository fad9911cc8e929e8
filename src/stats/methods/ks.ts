/**
 * Two-sample Kolmogorov–Smirnov test. Statistic D = max |F_ref(x) − F_cur(x)| over the pooled
 * values (ECDFs right-continuous, computed exactly as scipy.stats.ks_2samp does, so D matches to the
 * last bit). p-value as ks_2samp(ref, cur, method='asymp'): the finite-n Kolmogorov distribution
 * kstwo.sf(D, round(m·n/(m+n))) (round half to even, as numpy), see ../kolmogorov/kstwo.ts.
 * One deviation: scipy returns NaN when m = n = 1 (effective n rounds to 0); we use n ≥ 1 instead.
 * Smirnov (1948); Hodges (1958), "The significance probability of the Smirnov two-sample test".
 */
import { kolmogorovSf } from '../kolmogorov/kstwo.js';
import { sortedFloat64 } from '../sort.js';
import { walkSorted } from './sample-walk.js';
import type { DriftResult, SampleMethod, SampleOptions } from './method.js';

/** D over two ascending samples, walking both once (the walk Wasserstein shares: sample-walk.ts). */
export function ksStatisticSorted(a: Float64Array, b: Float64Array): number {
  return walkSorted(a, b).ks;
}

/** numpy.round: half to even. */
export function roundHalfEven(x: number): number {
  const floor = Math.floor(x);
  const fraction = x - floor;
  if (fraction > 0.5) return floor + 1;
  if (fraction < 0.5) return floor;
  return floor % 2 === 0 ? floor : floor + 1;
}

/** The effective sample size scipy passes to kstwo for samples of m and n. */
export function effectiveSampleSize(m: number, n: number): number {
  const [large, small] = m >= n ? [m, n] : [n, m];
  return roundHalfEven((large * small) / (large + small));
}

export function ks(refSorted: Float64Array, cur: Float64Array, options: SampleOptions = {}): DriftResult | undefined {
  if (refSorted.length === 0 || cur.length === 0) return undefined;
  const curSorted = options.currentSorted ? cur : sortedFloat64(cur);
  const d = options.walk?.ks ?? ksStatisticSorted(refSorted, curSorted);
  const n = Math.max(1, effectiveSampleSize(refSorted.length, curSorted.length));
  return { value: d, pValue: kolmogorovSf(n, d) };
}

export const KsMethod = {
  name: 'ks',
  types: ['numeric'],
  direction: 'p_value',
  defaultThreshold: 0.05,
  input: 'samples',
  kind: 'samples',
  compute: ks,
  statistic: ksStatisticSorted,
  // D·√(m·n/(m + n)) has a size-free limit (Kolmogorov's): D grows like s^½ under no drift.
  noiseExponent: 0.5,
  pValueAt: (d: number, m: number, n: number) => kolmogorovSf(Math.max(1, effectiveSampleSize(m, n)), d),
} satisfies SampleMethod;
