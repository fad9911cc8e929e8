/**
 * Hellinger distance: H = sqrt(max(0, 1 − Σ sqrt(r · c))) on raw proportions; 0 for identical
 * distributions, 1 for disjoint ones. The max(0, …) absorbs rounding when Σ sqrt(r·c) ≈ 1.
 * Hellinger (1909); see Le Cam & Yang (2000), "Asymptotics in Statistics".
 */
import { comparable } from '../proportions.js';
import type { DriftResult, ProportionMethod } from './method.js';

export function hellinger(r: Float64Array, c: Float64Array): DriftResult | undefined {
  if (!comparable(r, c)) return undefined;
  let bhattacharyya = 0;
  for (let i = 0; i < r.length; i++) bhattacharyya += Math.sqrt(r[i] * c[i]);
  return { value: Math.sqrt(Math.max(0, 1 - bhattacharyya)) };
}

export const HellingerMethod = {
  name: 'hellinger',
  types: ['numeric', 'categorical'],
  direction: 'distance',
  noiseExponent: 0.5,
  pivotScale: 1 / 8,
  defaultThreshold: 0.1,
  input: 'bins',
  kind: 'proportions',
  compute: hellinger,
} satisfies ProportionMethod;
