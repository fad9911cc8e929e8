/**
 * Normalised Wasserstein-1 (earth mover's) distance: scipy.stats.wasserstein_distance(ref, cur),
 * i.e. ∫ |F_ref(x) − F_cur(x)| dx over the merged sample, divided by max(std(ref, ddof=0), 0.001)
 * so the threshold is in reference standard deviations (as Evidently does). The floor keeps a
 * constant reference finite. Vallender (1974); Ramdas, García Trillos & Cuturi (2017).
 */
import { sortedFloat64 } from '../sort.js';
import type { DriftResult, SampleMethod, SampleOptions } from './method.js';

/** Population standard deviation (ddof = 0), two-pass for accuracy. */
export function populationStd(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return 0;
  // The loops in functions of their own: the first call (a whole reference) is compiled on-stack
  // mid-loop, and the code after a loop so compiled, never run, deoptimized it at every tick after.
  const mean = sumOf(values) / n;
  return Math.sqrt(squaredDeviations(values, mean) / n);
}

function sumOf(values: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum;
}

function squaredDeviations(values: Float64Array, mean: number): number {
  let squares = 0;
  for (let i = 0; i < values.length; i++) squares += (values[i] - mean) * (values[i] - mean);
  return squares;
}

/** ∫|U − V| by walking both sorted samples once: between consecutive merged values the CDFs are flat. */
export function wassersteinSorted(u: Float64Array, v: Float64Array): number {
  const nu = u.length;
  const nv = v.length;
  let i = 0;
  let j = 0;
  let distance = 0;
  let previous = Math.min(u[0], v[0]);
  while (i < nu || j < nv) {
    const x = j >= nv || (i < nu && u[i] <= v[j]) ? u[i] : v[j];
    // NaN sorts last and equals nothing, so the walk would never pass it: fail the tick, don't spin.
    if (x !== x) throw new Error('a sample holds NaN');
    distance += Math.abs(i / nu - j / nv) * (x - previous);
    while (i < nu && u[i] === x) i++;
    while (j < nv && v[j] === x) j++;
    previous = x;
  }
  return distance;
}

export function wasserstein(refSorted: Float64Array, cur: Float64Array, options: SampleOptions = {}): DriftResult | undefined {
  if (refSorted.length === 0 || cur.length === 0) return undefined;
  const curSorted = options.currentSorted ? cur : sortedFloat64(cur);
  const distance = wassersteinSorted(refSorted, curSorted);
  return { value: distance / Math.max(populationStd(refSorted), 0.001) };
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
