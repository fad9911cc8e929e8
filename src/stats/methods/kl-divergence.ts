/**
 * Kullback–Leibler divergence of current from reference: KL(c‖r) = Σ c · ln(c / r), zero proportions
 * replaced by ε (so a bin empty in the reference does not make it infinite). Natural log, in nats.
 * Kullback & Leibler (1951), "On Information and Sufficiency".
 */
import { comparable, withEpsilon } from '../proportions.js';
import type { DriftResult, ProportionMethod } from './method.js';

export function klDivergence(r: Float64Array, c: Float64Array): DriftResult | undefined {
  if (!comparable(r, c)) return undefined;
  const rr = withEpsilon(r);
  const cc = withEpsilon(c);
  let value = 0;
  for (let i = 0; i < rr.length; i++) value += cc[i] * Math.log(cc[i] / rr[i]);
  return { value };
}

export const KlDivergenceMethod = {
  name: 'kl_divergence',
  types: ['numeric', 'categorical'],
  direction: 'distance',
  noiseExponent: 1,
  pivotScale: 0.5,
  defaultThreshold: 0.1,
  input: 'bins',
  kind: 'proportions',
  compute: klDivergence,
} satisfies ProportionMethod;
