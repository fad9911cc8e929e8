/**
 * Population Stability Index: PSI = Σ (c − r) · ln(c / r), with zero proportions replaced by ε.
 * A symmetrised KL divergence (KL(c‖r) + KL(r‖c)); every term is ≥ 0.
 * Rule of thumb (Siddiqi 2006, "Credit Risk Scorecards"): < 0.1 stable, 0.1–0.2 moderate, ≥ 0.2 drift.
 */
import { comparable, withEpsilon } from '../proportions.js';
import type { DriftResult, ProportionMethod } from './method.js';

export function psi(r: Float64Array, c: Float64Array): DriftResult | undefined {
  if (!comparable(r, c)) return undefined;
  const rr = withEpsilon(r);
  const cc = withEpsilon(c);
  let value = 0;
  for (let i = 0; i < rr.length; i++) value += (cc[i] - rr[i]) * Math.log(cc[i] / rr[i]);
  return { value };
}

export const PsiMethod = {
  name: 'psi',
  types: ['numeric', 'categorical'],
  direction: 'distance',
  noiseExponent: 1,
  pivotScale: 1,
  defaultThreshold: 0.2,
  input: 'bins',
  kind: 'proportions',
  compute: psi,
} satisfies ProportionMethod;
