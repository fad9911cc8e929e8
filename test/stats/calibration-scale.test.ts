/**
 * What `auto` calibration records per method and the threshold it reads back
 * (src/stats/calibration-scale.ts): prepivoted binned distances, size-scaled Wasserstein, p-value
 * methods by their null p-value quantile (ks through its statistic).
 */
import { describe, expect, it } from 'vitest';
import { calibratedThreshold, calibrationExponent, calibrationValue } from '../../src/stats/calibration-scale.js';
import { chiSquaredIsf, chiSquaredSf } from '../../src/stats/gamma.js';
import { getMethod, type MethodDescriptor } from '../../src/stats/methods/index.js';
import { kolmogorovSf } from '../../src/stats/kolmogorov/kstwo.js';

const method = (name: string): MethodDescriptor => getMethod(name)!;

describe('chi-squared inverse survival function', () => {
  it('inverts chiSquaredSf over dof 1 … 200 and p 1e-6 … 0.99', () => {
    for (const k of [1, 2, 5, 9, 30, 200]) {
      for (const p of [1e-6, 0.001, 0.01, 0.05, 0.5, 0.99]) {
        const x = chiSquaredIsf(p, k);
        expect(Math.abs(chiSquaredSf(x, k) - p) / p, `k ${k}, p ${p}`).toBeLessThan(1e-9);
      }
    }
    // scipy.stats.chi2.isf(0.05, 9) = 16.91897760462045
    expect(chiSquaredIsf(0.05, 9)).toBeCloseTo(16.91897760462045, 9);
  });
});

describe('calibration scale', () => {
  const comparison = { bins: 10, refTotal: 200, curTotal: 1000 };

  it('reads a binned distance back at the value it recorded, for the same bins and sizes', () => {
    for (const name of ['psi', 'kl_divergence', 'jensen_shannon', 'hellinger']) {
      const m = method(name);
      expect(calibrationExponent(m)).toBe(0);
      const recorded = calibrationValue(m, { value: 0.07 }, comparison);
      expect(recorded).toBeLessThan(0);
      expect(calibratedThreshold(m, recorded, comparison)).toBeCloseTo(0.07, 9);
    }
  });

  it('moves a binned distance\'s threshold with the bins compared and the sizes, by the chi-squared law', () => {
    const psi = method('psi');
    // u_α = 0.01: psi's threshold at B bins is s·χ²isf(0.01, B − 1).
    const s = 1 / 200 + 1 / 1000;
    expect(calibratedThreshold(psi, -0.01, comparison)).toBeCloseTo(s * chiSquaredIsf(0.01, 9), 12);
    expect(calibratedThreshold(psi, -0.01, { ...comparison, bins: 6 })).toBeCloseTo(s * chiSquaredIsf(0.01, 5), 12);
    const hellinger = method('hellinger');
    expect(calibratedThreshold(hellinger, -0.01, comparison)).toBeCloseTo(Math.sqrt((s * chiSquaredIsf(0.01, 9)) / 8), 12);
    expect(calibratedThreshold(psi, -0.01, { ...comparison, bins: 1 })).toBe(Number.POSITIVE_INFINITY);
  });

  it('keeps Wasserstein on its own scale, moved between sizes by the noise law', () => {
    const w = method('wasserstein');
    expect(calibrationExponent(w)).toBe(0.5);
    expect(calibrationValue(w, { value: 0.3 }, comparison)).toBe(0.3);
    expect(calibratedThreshold(w, 0.3, comparison)).toBe(0.3);
  });

  it('reads a p-value method\'s threshold as its null p-value quantile, widened so that an atom at it still drifts', () => {
    const chi = method('chi_squared');
    expect(calibrationValue(chi, { value: 12, pValue: 0.02 }, comparison)).toBe(-0.02);
    const cut = calibratedThreshold(chi, -0.02, comparison);
    expect(cut).toBeGreaterThan(0.02);
    expect(cut).toBeLessThan(0.02 * (1 + 1e-8));
    const ks = method('ks');
    expect(calibrationExponent(ks)).toBe(0.5);
    expect(calibrationValue(ks, { value: 0.1 }, comparison)).toBe(0.1);
    // n_eff = round(200·1000/1200) = 167.
    expect(calibratedThreshold(ks, 0.1, comparison) / kolmogorovSf(167, 0.1)).toBeCloseTo(1, 8);
  });
});
