/**
 * Every drift method, in one explicit registry keyed by name (no registration by import side
 * effect): a name in DRIFT_METHOD_NAMES without a descriptor, or a descriptor under another name,
 * does not compile. Order is DRIFT_METHOD_NAMES's; psi is the primary method.
 */
import { ChiSquaredGofMethod } from './chi-squared-gof.js';
import { ChiSquaredMethod } from './chi-squared.js';
import { HellingerMethod } from './hellinger.js';
import { JensenShannonMethod } from './jensen-shannon.js';
import { KlDivergenceMethod } from './kl-divergence.js';
import { KsMethod } from './ks.js';
import { DRIFT_METHOD_NAMES, type DriftMethodName, type FeatureType, type MethodDescriptor } from './method.js';
import { PsiMethod } from './psi.js';
import { WassersteinMethod } from './wasserstein.js';

export * from './method.js';

const REGISTRY: { readonly [K in DriftMethodName]: MethodDescriptor & { name: K } } = {
  psi: PsiMethod,
  kl_divergence: KlDivergenceMethod,
  jensen_shannon: JensenShannonMethod,
  hellinger: HellingerMethod,
  ks: KsMethod,
  wasserstein: WassersteinMethod,
  chi_squared: ChiSquaredMethod,
  chi_squared_gof: ChiSquaredGofMethod,
};

export const DRIFT_METHODS: readonly MethodDescriptor[] = DRIFT_METHOD_NAMES.map((name) => REGISTRY[name]);

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
