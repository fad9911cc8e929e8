/**
 * Normalised Wasserstein-1 (earth mover's) distance: scipy.stats.wasserstein_distance(ref, cur),
 * i.e. ∫ |F_ref(x) − F_cur(x)| dx over the merged sample, divided by max(std(ref, ddof=0), 0.001)
 * so the threshold is in reference standard deviations (as Evidently does). The floor keeps a
 * constant reference finite. Vallender (1974); Ramdas, García Trillos & Cuturi (2017).
 */
import { meanOf, stdAbout } from '../moments.js';
import { sortedFloat64 } from '../sort.js';
import { walkSorted } from './sample-walk.js';
import type { DriftResult, SampleMethod, SampleOptions } from './method.js';

/** Population standard deviation (ddof = 0), two-pass for accuracy. */
export function populationStd(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return 0;
  return stdAbout(values, meanOf(values));
}

/** ∫|U − V| by walking both sorted samples once: between consecutive merged values the CDFs are flat (sample-walk.ts). */
export function wassersteinSorted(u: Float64Array, v: Float64Array): number {
  return walkSorted(u, v).wasserstein;
}

export function wasserstein(refSorted: Float64Array, cur: Float64Array, options: SampleOptions = {}): DriftResult | undefined {
  if (refSorted.length === 0 || cur.length === 0) return undefined;
  const curSorted = options.currentSorted ? cur : sortedFloat64(cur);
  const distance = options.walk?.wasserstein ?? wassersteinSorted(refSorted, curSorted);
  return { value: distance / Math.max(options.referenceStd ?? populationStd(refSorted), 0.001) };
}

export const WassersteinMethod = {
  name: 'wasserstein',
  types: ['numeric'],
  direction: 'distance',
  noiseExponent: 0.5,
  defaultThreshold: 0.1,
  input: 'samples',
  kind: 'samples',
  compute: wasserstein,
} satisfies SampleMethod;
