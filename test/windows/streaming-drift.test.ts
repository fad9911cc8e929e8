/**
 * The streaming path (reference profile → binner → rolling window → methods) gives the numpy/scipy
 * values of the committed fixtures: the same numbers as the batch command and the pure functions.
 */
import { describe, expect, it } from 'vitest';
import { FeatureBinner } from '../../src/windows/feature-binner.js';
import { FeatureDrift } from '../../src/windows/feature-drift.js';
import { profileColumn } from '../../src/windows/reference-profile.js';
import type { DriftMethodName } from '../../src/stats/methods/index.js';
import { readFixture, type DriftCase } from '../stats/drift-fixtures.js';

const { cases } = readFixture<{ cases: DriftCase[] }>('cases.json');
const METHODS: DriftMethodName[] = ['psi', 'kl_divergence', 'jensen_shannon', 'hellinger', 'ks', 'wasserstein', 'chi_squared', 'chi_squared_gof'];

function close(actual: number | undefined, expected: number, what: string): void {
  expect(actual, what).toBeDefined();
  const tol = Math.max(1e-12, 1e-9 * Math.abs(expected));
  expect(Math.abs((actual as number) - expected), `${what}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tol);
}

describe('streaming drift equals numpy/scipy on the real-data fixtures', () => {
  const real = cases.filter((c) => /vega-datasets|sklearn/.test(c.source));
  it('covers at least three real data sets', () => {
    expect(new Set(real.map((c) => c.name.split('/')[0])).size).toBeGreaterThanOrEqual(3);
  });

  for (const c of real) {
    it(c.name, () => {
      const profile = profileColumn(c.reference, c.type, { bins: Number(c.bins ?? 10), maxCategories: 1000, maxSample: 1e9 });
      if (profile.type === 'numeric' && c.edges) expect(profile.edges).toEqual(c.edges);
      const binner = new FeatureBinner(profile, 1000);
      const drift = new FeatureDrift(binner, Float64Array.from(profile.type === 'numeric' ? profile.sample : []), [{ label: 'all', count: c.current.length + 1 }], {
        methods: METHODS,
        primary: 'psi',
        thresholds: {},
        minSamples: 1,
        maxWindowValues: 1e9,
      });
      for (const v of c.current) drift.observe(0, v);
      drift.compute(0);
      const [result] = drift.results;
      expect(result.missing).toBe(c.missing_current);
      const got = result.methods!;
      for (const m of ['psi', 'kl_divergence', 'jensen_shannon', 'hellinger'] as const) close(got.get(m)?.value, c.expected[m], m);
      if (c.expected.wasserstein !== undefined) close(got.get('wasserstein')?.value, c.expected.wasserstein, 'wasserstein');
      if (c.expected.ks) {
        close(got.get('ks')?.value, c.expected.ks.statistic, 'ks statistic');
        expect(Math.abs(got.get('ks')!.pValue! - (c.expected.ks.p_value ?? NaN))).toBeLessThanOrEqual(1e-3);
      }
      if (c.expected.chi_squared) {
        close(got.get('chi_squared')?.value, c.expected.chi_squared.statistic, 'chi_squared statistic');
        close(got.get('chi_squared')?.pValue, c.expected.chi_squared.p_value ?? NaN, 'chi_squared p');
      }
      if (c.expected.chi_squared_gof) {
        close(got.get('chi_squared_gof')?.value, c.expected.chi_squared_gof.statistic, 'chi_squared_gof statistic');
        close(got.get('chi_squared_gof')?.pValue, c.expected.chi_squared_gof.p_value ?? NaN, 'chi_squared_gof p');
      }
    });
  }
});
