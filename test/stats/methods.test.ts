import { describe, expect, it } from 'vitest';
import { categoricalBins, categoryFrequencies, countNumeric } from '../../src/stats/binning.js';
import { DRIFT_METHODS } from '../../src/stats/methods/index.js';
import { chiSquared, chiSquaredHomogeneity } from '../../src/stats/methods/chi-squared.js';
import { chiSquaredGof } from '../../src/stats/methods/chi-squared-gof.js';
import { hellinger } from '../../src/stats/methods/hellinger.js';
import { jensenShannon } from '../../src/stats/methods/jensen-shannon.js';
import { klDivergence } from '../../src/stats/methods/kl-divergence.js';
import { ks } from '../../src/stats/methods/ks.js';
import { psi } from '../../src/stats/methods/psi.js';
import { wasserstein } from '../../src/stats/methods/wasserstein.js';
import { toProportions } from '../../src/stats/proportions.js';
import { quantileEdges, sortedCopy } from '../../src/stats/quantile-edges.js';
import { categoryValues, close, loadCases, numericValues, type DriftCase } from './drift-fixtures.js';

const cases = loadCases();

function binsOf(c: DriftCase): { ref: Float64Array; cur: Float64Array } {
  if (c.type === 'numeric') {
    const ref = sortedCopy(numericValues(c.reference));
    const edges = quantileEdges(ref, c.bins ?? 10);
    return { ref: countNumeric(edges, ref), cur: countNumeric(edges, numericValues(c.current)) };
  }
  const b = categoricalBins(categoryFrequencies(categoryValues(c.reference)), categoryFrequencies(categoryValues(c.current)));
  return { ref: b.reference, cur: b.current };
}

function expectClose(label: string, actual: number | undefined, expected: number): void {
  expect(actual, label).toBeTypeOf('number');
  expect(close(actual!, expected), `${label}: ours ${actual}, numpy/scipy ${expected}`).toBe(true);
}

describe('drift methods against numpy/scipy fixtures', () => {
  it('fixtures cover cars, penguins, seattle-weather and synthetic edge cases', () => {
    const sources = new Set(cases.map((c) => c.name.split('/')[0]));
    for (const s of ['cars', 'penguins-species', 'penguins-island', 'seattle', 'synthetic']) expect(sources).toContain(s);
  });

  for (const c of cases) {
    it(c.name, () => {
      const { ref, cur } = binsOf(c);
      const r = toProportions(ref);
      const p = toProportions(cur);
      expectClose('psi', psi(r, p)?.value, c.expected.psi);
      expectClose('kl_divergence', klDivergence(r, p)?.value, c.expected.kl_divergence);
      expectClose('jensen_shannon', jensenShannon(r, p)?.value, c.expected.jensen_shannon);
      expectClose('hellinger', hellinger(r, p)?.value, c.expected.hellinger);
      if (c.type === 'numeric') {
        const refSorted = sortedCopy(numericValues(c.reference));
        const result = ks(refSorted, numericValues(c.current))!;
        // The statistic is exact; the p-value contract is 1e-3 absolute against method='asymp'.
        expectClose('ks statistic', result.value, c.expected.ks!.statistic);
        if (c.expected.ks!.p_value === null) expect(Number.isFinite(result.pValue)).toBe(true);
        else expect(Math.abs(result.pValue! - c.expected.ks!.p_value)).toBeLessThanOrEqual(1e-3);
        expectClose('wasserstein', wasserstein(refSorted, numericValues(c.current))?.value, c.expected.wasserstein!);
      } else {
        const result = chiSquaredHomogeneity(ref, cur)!;
        expectClose('chi_squared statistic', result.value, c.expected.chi_squared!.statistic);
        expectClose('chi_squared p', result.pValue, c.expected.chi_squared!.p_value!);
        expect(result.dof, 'chi_squared dof').toBe(c.expected.chi_squared!.dof);
        const gof = chiSquaredGof(ref, cur, ref.reduce((a, b) => a + b, 0), cur.reduce((a, b) => a + b, 0))!;
        expectClose('chi_squared_gof statistic', gof.value, c.expected.chi_squared_gof!.statistic);
        if (c.expected.chi_squared_gof!.p_value === null) expect(gof.pValue).toBe(1);
        else expectClose('chi_squared_gof p', gof.pValue, c.expected.chi_squared_gof!.p_value);
      }
    });
  }
});

describe('edge cases never give NaN', () => {
  const empty = new Float64Array(0);
  it('empty current gives a clear undefined from every method', () => {
    const r = Float64Array.from([0.5, 0.5]);
    const zero = Float64Array.from([0, 0]);
    for (const m of DRIFT_METHODS) {
      if (m.kind === 'proportions') expect(m.compute(r, zero)).toBeUndefined();
      if (m.kind === 'counts') expect(m.compute(Float64Array.from([3, 2]), zero, 5, 0)).toBeUndefined();
      if (m.kind === 'samples') expect(m.compute(Float64Array.from([1, 2]), empty)).toBeUndefined();
    }
  });

  it('a single sample on each side gives a finite p-value (scipy gives NaN there)', () => {
    const result = ks(Float64Array.from([1]), Float64Array.from([2]))!;
    expect(result.value).toBe(1);
    expect(result.pValue).toBeGreaterThanOrEqual(0);
    expect(result.pValue).toBeLessThanOrEqual(1);
  });

  it('a constant reference keeps wasserstein finite through the 0.001 floor', () => {
    const value = wasserstein(Float64Array.from([5, 5, 5]), Float64Array.from([5, 6]))!.value;
    expect(value).toBeCloseTo(0.5 / 0.001, 9);
  });

  it('identical distributions are zero distance and p = 1', () => {
    const p = Float64Array.from([0.2, 0.3, 0.5]);
    expect(psi(p, p)!.value).toBe(0);
    expect(jensenShannon(p, p)!.value).toBe(0);
    expect(hellinger(p, p)!.value).toBeLessThan(1e-7);
    expect(chiSquared(Float64Array.from([2, 3, 5]), Float64Array.from([2, 3, 5]), 10, 10)!.pValue).toBeCloseTo(1, 12);
  });
});

describe('chi_squared is the two-sample test of homogeneity', () => {
  it('drops a category absent from both sides and keeps one seen on one side only', () => {
    // scipy.stats.chi2_contingency([[5, 12, 3], [30, 0, 10]], correction=False) on the non-empty columns.
    const withEmpty = chiSquaredHomogeneity(Float64Array.from([30, 0, 0, 10]), Float64Array.from([5, 12, 0, 3]))!;
    const without = chiSquaredHomogeneity(Float64Array.from([30, 0, 10]), Float64Array.from([5, 12, 3]))!;
    expect(withEmpty).toEqual(without);
    expect(without.dof).toBe(2);
    expect(close(without.value, 30.32967032967033)).toBe(true);
    expect(close(without.pValue, 2.5941540887701817e-7)).toBe(true);
  });

  it('does not read the reference sample noise as drift, unlike the goodness-of-fit version', () => {
    // Equal proportions on both sides: both tests say 0. Reference and current swapped: the two-sample
    // statistic is symmetric, the goodness-of-fit one is not.
    const a = Float64Array.from([40, 60, 100]);
    const b = Float64Array.from([60, 50, 90]);
    expect(chiSquaredHomogeneity(a, b)!.value).toBeCloseTo(chiSquaredHomogeneity(b, a)!.value, 12);
    expect(chiSquaredGof(a, b, 200, 200)!.value).not.toBeCloseTo(chiSquaredGof(b, a, 200, 200)!.value, 3);
  });

  it('a single category leaves no degree of freedom: statistic 0, p 1 (as scipy)', () => {
    expect(chiSquaredHomogeneity(Float64Array.from([20, 0]), Float64Array.from([7, 0]))).toEqual({ value: 0, pValue: 1, dof: 0 });
  });
});
