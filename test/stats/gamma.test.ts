import { describe, expect, it } from 'vitest';
import { chiSquaredSf, logGamma, regularizedUpperGamma } from '../../src/stats/gamma.js';
import { close, readFixture } from './drift-fixtures.js';

const grid = readFixture<{ points: { x: number; k: number; sf: number }[] }>('chi2-sf-grid.json').points;

describe('chiSquaredSf against scipy.stats.chi2.sf', () => {
  it('matches within 1e-9 relative (1e-12 absolute) on the grid', () => {
    const misses = grid
      .filter((p) => !close(chiSquaredSf(p.x, p.k), p.sf))
      .map((p) => `x=${p.x} k=${p.k}: scipy ${p.sf}, ours ${chiSquaredSf(p.x, p.k)}`);
    expect(grid.length).toBeGreaterThan(400);
    expect(misses).toEqual([]);
  });
});

describe('logGamma and Q(a, x)', () => {
  it('logGamma hits factorials and Γ(1/2) = √π', () => {
    expect(close(logGamma(1), 0, 1e-12, 1e-14)).toBe(true);
    expect(close(logGamma(11), Math.log(3628800), 1e-13)).toBe(true);
    expect(close(logGamma(0.5), 0.5 * Math.log(Math.PI), 1e-13)).toBe(true);
    expect(close(logGamma(171.5), 709.1431630309283, 1e-13)).toBe(true);
  });

  it('Q(1, x) = e^{−x} and the domain edges are explicit', () => {
    expect(close(regularizedUpperGamma(1, 3), Math.exp(-3), 1e-13)).toBe(true);
    expect(regularizedUpperGamma(2, 0)).toBe(1);
    expect(regularizedUpperGamma(2, Number.POSITIVE_INFINITY)).toBe(0);
    expect(Number.isNaN(regularizedUpperGamma(0, 1))).toBe(true);
    expect(chiSquaredSf(0, 3)).toBe(1);
  });
});
