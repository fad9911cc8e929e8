/**
 * The shape every drift method shares: a descriptor that says what it applies to and how its number
 * reads, and a pure function over typed arrays. The direction is explicit so a threshold never flips
 * meaning silently (a distance drifts when it is large, a p-value when it is small).
 */
import type { SampleWalk } from './sample-walk.js';

export type FeatureType = 'numeric' | 'categorical';

/** `distance`: value ≥ threshold is drift. `p_value`: pValue < threshold is drift. */
export type MethodDirection = 'distance' | 'p_value';

/** `bins`: takes binned proportions (or counts). `samples`: takes the raw numeric samples. */
export type MethodInput = 'bins' | 'samples';

/**
 * Every drift method's name, in report order: the one list the config enum is derived from. A new
 * method is a file, a name here and a line in index.ts's registry (the compiler requires all three).
 */
export const DRIFT_METHOD_NAMES = ['psi', 'kl_divergence', 'jensen_shannon', 'hellinger', 'ks', 'wasserstein', 'chi_squared', 'chi_squared_gof'] as const;

export type DriftMethodName = (typeof DRIFT_METHOD_NAMES)[number];

/** Methods that run only when named (in drift.methods, a feature's methods, or --methods). */
export const OPT_IN_METHOD_NAMES: readonly DriftMethodName[] = ['chi_squared_gof'];

/** What runs when no method list is given: every method but the opt-in ones. */
export const DEFAULT_DRIFT_METHOD_NAMES: readonly DriftMethodName[] = DRIFT_METHOD_NAMES.filter((name) => !OPT_IN_METHOD_NAMES.includes(name));

export interface DriftResult {
  /** The distance, or the test statistic for p_value methods. */
  value: number;
  /** Present for p_value methods. */
  pValue?: number;
}

export interface MethodDescriptorBase {
  name: DriftMethodName;
  types: readonly FeatureType[];
  direction: MethodDirection;
  defaultThreshold: number;
  input: MethodInput;
  /**
   * Distances: γ in "under no drift the value grows like (1/n_ref + 1/n_cur)^γ" (1 for divergences,
   * ½ for their square roots and for Wasserstein). Calibrated thresholds (`auto`) rescale by it.
   */
  noiseExponent?: number;
  /**
   * Binned distances: κ in "under no drift, over B bins, value^(1/γ) ≈ κ·s·χ²(B − 1)" (psi 1,
   * kl_divergence ½, jensen_shannon 1/(8 ln 2), hellinger ⅛). Calibration reads a value through
   * this law as a chi-squared tail probability, so one calibration serves any number of bins.
   */
  pivotScale?: number;
  /**
   * p-value methods whose p-value at given sizes is a decreasing function of the statistic (ks):
   * that function. Calibration then ranks the statistic itself (moved between sizes by
   * `noiseExponent`) and turns its quantile into a p-value once, instead of a p-value per draw.
   */
  pValueAt?(statistic: number, refTotal: number, curTotal: number): number;
}

/** Methods over bin proportions r (reference) and c (current), each summing to 1. */
export interface ProportionMethod extends MethodDescriptorBase {
  input: 'bins';
  kind: 'proportions';
  compute(r: Float64Array, c: Float64Array): DriftResult | undefined;
}

/** Methods over bin counts (chi-squared needs absolute counts, not proportions). */
export interface CountMethod extends MethodDescriptorBase {
  input: 'bins';
  kind: 'counts';
  compute(
    refCounts: Float64Array,
    curCounts: Float64Array,
    refTotal: number,
    curTotal: number,
  ): DriftResult | undefined;
}

export interface SampleOptions {
  /** Set when `cur` is already ascending, so several sample methods can share one sort. */
  currentSorted?: boolean;
  /** The walk of these two sorted samples (sample-walk.ts), when the caller has walked them for another method. */
  walk?: SampleWalk;
  /** populationStd(refSorted), when the caller keeps it (a reference fixed for the run: not recomputed per window). */
  referenceStd?: number;
}

/** Methods over raw numeric samples; the reference is sorted once by the caller, current is copied and sorted. */
export interface SampleMethod extends MethodDescriptorBase {
  input: 'samples';
  kind: 'samples';
  compute(refSorted: Float64Array, cur: Float64Array, options?: SampleOptions): DriftResult | undefined;
  /** The statistic alone over two ascending samples (calibration draws need no p-value; see pValueAt). */
  statistic?(refSorted: Float64Array, curSorted: Float64Array): number;
}

export type MethodDescriptor = ProportionMethod | CountMethod | SampleMethod;

/** Applies the descriptor's direction: the one place where "large" vs "small" is decided. */
export function drifted(
  result: DriftResult | undefined,
  descriptor: Pick<MethodDescriptorBase, 'direction'>,
  threshold: number,
): boolean {
  if (result === undefined) return false;
  if (descriptor.direction === 'distance') return result.value >= threshold;
  return result.pValue !== undefined && result.pValue < threshold;
}
