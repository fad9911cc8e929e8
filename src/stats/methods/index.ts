/**
 * Every drift method, in one explicit list (no registration by import side effect). Order is the
 * order reports show them in; psi is the primary method.
 */
import { ChiSquaredMethod } from './chi-squared.js';
import { HellingerMethod } from './hellinger.js';
import { JensenShannonMethod } from './jensen-shannon.js';
import { KlDivergenceMethod } from './kl-divergence.js';
import { KsMethod } from './ks.js';
import type { DriftMethodName, FeatureType, MethodDescriptor } from './method.js';
import { PsiMethod } from './psi.js';
import { WassersteinMethod } from './wasserstein.js';

export * from './method.js';

export const DRIFT_METHODS: readonly MethodDescriptor[] = [
  PsiMethod,
  KlDivergenceMethod,
  JensenShannonMethod,
  HellingerMethod,
  KsMethod,
  WassersteinMethod,
  ChiSquaredMethod,
];

export const PRIMARY_METHOD: DriftMethodName = 'psi';

export function getMethod(name: string): MethodDescriptor | undefined {
  return DRIFT_METHODS.find((m) => m.name === name);
}

export function methodsFor(type: FeatureType): MethodDescriptor[] {
  return DRIFT_METHODS.filter((m) => m.types.includes(type));
}

export function isMethodName(name: string): name is DriftMethodName {
  return DRIFT_METHODS.some((m) => m.name === name);
}
