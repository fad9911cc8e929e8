/**
 * The scale on which `auto` calibration ranks a method's values, and back: what a calibration draw
 * records for a method, and the threshold a live comparison reads from the calibrated quantile.
 *
 * - Binned distances (psi, kl_divergence, jensen_shannon, hellinger: a descriptor with `pivotScale`
 *   κ): under no drift, over B compared bins with s = 1/n_ref + 1/n, value^(1/γ) ≈ κ·s·χ²(B − 1).
 *   A draw records u = P(χ²(B − 1) ≥ value^(1/γ)/(κ·s)), its own B and s; the calibrated quantile
 *   u_α (the α-quantile of the draws' u) becomes, for a live comparison with B bins and s,
 *       threshold = (κ·s·χ²isf(u_α, B − 1))^γ.
 *   This is Beran's prepivoting ("Prepivoting test statistics: a bootstrap view of asymptotic
 *   refinements", JASA 83, 1988): the bootstrap corrects what the chi-squared law gets wrong at small
 *   sizes, the law carries the number of bins. It is needed because B is not the same in the draws
 *   as live: a stand-in drawn from a 200-row reference has lumpier category proportions than the
 *   population (more categories past the pooled fold's bound, 9–13 compared bins in the draws where
 *   live windows had 6–9, measured on flights-3m `origin`), and tied numeric stand-ins merge
 *   quantile edges that the live reference keeps apart.
 * - Other distances (wasserstein): the value, moved between sizes by the noise law value ∝ s^γ.
 * - p-value methods: −p (size-free); the threshold is the α-quantile of the null p-values q, read
 *   as `p < q·(1 + 1e-9)`, so that p = q (an atom of a discrete statistic, KS on tied data) drifts as
 *   it did in the draws and nothing else does. A method whose p-value is a decreasing function of
 *   its statistic at given sizes (ks, `pValueAt`) records the statistic instead, moved between sizes
 *   by its noise law like a distance, and q = pValueAt(the statistic's (1 − α) quantile): the same
 *   ranking, one p-value per threshold instead of one per draw.
 */
import { chiSquaredIsf, chiSquaredSf } from './gamma.js';
import type { DriftResult, MethodDescriptor } from './methods/method.js';

/** What a calibrated threshold depends on besides the calibrated quantile. */
export interface Comparison {
  /** Bins compared (after the category fold). */
  bins: number;
  refTotal: number;
  curTotal: number;
}

/** γ by which calibrate moves recorded values between sizes: 0 for the size-free scales. */
export function calibrationExponent(m: MethodDescriptor): number {
  if (m.direction === 'p_value') return m.pValueAt ? (m.noiseExponent ?? 0.5) : 0;
  return m.pivotScale === undefined ? (m.noiseExponent ?? 1) : 0;
}

/** What a calibration draw records for the method; larger is more drift. NaN when it cannot say. */
export function calibrationValue(m: MethodDescriptor, result: DriftResult | undefined, c: Comparison): number {
  if (result === undefined) return NaN;
  if (m.direction === 'p_value') return m.pValueAt ? result.value : result.pValue === undefined ? NaN : -result.pValue;
  if (m.pivotScale === undefined) return result.value;
  if (!Number.isFinite(result.value)) return NaN;
  if (c.bins <= 1) return -1;
  const s = 1 / c.refTotal + 1 / c.curTotal;
  const statistic = result.value ** (1 / (m.noiseExponent ?? 1)) / (m.pivotScale * s);
  return -chiSquaredSf(statistic, c.bins - 1);
}

/** The threshold of a live comparison from the calibrated quantile of the recorded values. */
export function calibratedThreshold(m: MethodDescriptor, calibrated: number, c: Comparison): number {
  if (m.direction === 'p_value') return (m.pValueAt ? m.pValueAt(calibrated, c.refTotal, c.curTotal) : -calibrated) * (1 + 1e-9);
  if (m.pivotScale === undefined) return calibrated;
  // One bin: the distance is 0 and no threshold can be crossed.
  if (c.bins <= 1) return Number.POSITIVE_INFINITY;
  const s = 1 / c.refTotal + 1 / c.curTotal;
  return (m.pivotScale * s * chiSquaredIsf(-calibrated, c.bins - 1)) ** (m.noiseExponent ?? 1);
}
