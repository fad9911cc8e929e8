import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DRIFT_METHOD_NAMES, DRIFT_METHODS, PRIMARY_METHOD, drifted, getMethod, methodsFor } from '../../src/stats/methods/index.js';

describe('method list and descriptors', () => {
  it('lists the eight methods once each with their contract thresholds', () => {
    const byName = Object.fromEntries(DRIFT_METHODS.map((m) => [m.name, [m.direction, m.defaultThreshold, m.input]]));
    expect(byName).toEqual({
      psi: ['distance', 0.2, 'bins'],
      kl_divergence: ['distance', 0.1, 'bins'],
      jensen_shannon: ['distance', 0.1, 'bins'],
      hellinger: ['distance', 0.1, 'bins'],
      ks: ['p_value', 0.05, 'samples'],
      wasserstein: ['distance', 0.1, 'samples'],
      chi_squared: ['p_value', 0.05, 'bins'],
      chi_squared_gof: ['p_value', 0.05, 'bins'],
    });
    expect(DEFAULT_DRIFT_METHOD_NAMES).not.toContain('chi_squared_gof');
    expect(DEFAULT_DRIFT_METHOD_NAMES).toHaveLength(7);
    expect(PRIMARY_METHOD).toBe('psi');
  });

  it('getMethod finds by name and returns undefined otherwise', () => {
    expect(getMethod('ks')?.name).toBe('ks');
    expect(getMethod('nope')).toBeUndefined();
  });

  it('methodsFor splits by feature type', () => {
    expect(methodsFor('numeric').map((m) => m.name)).toEqual(['psi', 'kl_divergence', 'jensen_shannon', 'hellinger', 'ks', 'wasserstein']);
    expect(methodsFor('categorical').map((m) => m.name)).toEqual(['psi', 'kl_divergence', 'jensen_shannon', 'hellinger', 'chi_squared', 'chi_squared_gof']);
  });
});

describe('drifted() makes the direction explicit', () => {
  it('distance drifts at or above the threshold', () => {
    expect(drifted({ value: 0.2 }, { direction: 'distance' }, 0.2)).toBe(true);
    expect(drifted({ value: 0.19 }, { direction: 'distance' }, 0.2)).toBe(false);
  });
  it('p_value drifts strictly below the threshold, and a missing result never drifts', () => {
    expect(drifted({ value: 9, pValue: 0.049 }, { direction: 'p_value' }, 0.05)).toBe(true);
    expect(drifted({ value: 9, pValue: 0.05 }, { direction: 'p_value' }, 0.05)).toBe(false);
    expect(drifted(undefined, { direction: 'distance' }, 0)).toBe(false);
  });
});

describe('binned methods stay finite and non-negative on any proportions', () => {
  const counts = fc.array(fc.nat({ max: 1000 }), { minLength: 1, maxLength: 12 });
  it('for random count vectors (zeros included)', () => {
    fc.assert(
      fc.property(counts, counts, (a, b) => {
        const k = Math.min(a.length, b.length);
        const ra = a.slice(0, k);
        const rb = b.slice(0, k);
        const sa = ra.reduce((x, y) => x + y, 0);
        const sb = rb.reduce((x, y) => x + y, 0);
        for (const m of DRIFT_METHODS) {
          if (m.kind === 'samples') continue;
          const result =
            m.kind === 'proportions'
              ? m.compute(Float64Array.from(ra, (x) => (sa ? x / sa : 0)), Float64Array.from(rb, (x) => (sb ? x / sb : 0)))
              : m.compute(Float64Array.from(ra), Float64Array.from(rb), sa, sb);
          if (sa === 0 || sb === 0) {
            expect(result).toBeUndefined();
            continue;
          }
          expect(Number.isFinite(result!.value)).toBe(true);
          expect(result!.value).toBeGreaterThanOrEqual(0);
          if (result!.pValue !== undefined) expect(result!.pValue >= 0 && result!.pValue <= 1).toBe(true);
        }
      }),
    );
  });
});
