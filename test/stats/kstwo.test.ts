import { describe, expect, it } from 'vitest';
import { kolmogorovSf } from '../../src/stats/kolmogorov/kstwo.js';
import { smirnovSf } from '../../src/stats/kolmogorov/smirnov.js';
import { readFixture } from './drift-fixtures.js';

interface GridPoint {
  n: number;
  d: number;
  sf: number;
}

const grid = readFixture<{ points: GridPoint[] }>('kstwo-grid.json').points;

describe('kolmogorovSf against scipy.stats.kstwo.sf', () => {
  it('covers n from 1 to 1e5 and every algorithm region', () => {
    const ns = new Set(grid.map((p) => p.n));
    expect(ns.has(1) && ns.has(100000) && ns.has(140) && ns.has(141)).toBe(true);
    expect(grid.length).toBeGreaterThan(1000);
  });

  it('is within the 1e-3 contract everywhere (and in fact within 1e-9)', () => {
    const misses: string[] = [];
    let worst = 0;
    for (const p of grid) {
      const ours = kolmogorovSf(p.n, p.d);
      const error = Math.abs(ours - p.sf);
      worst = Math.max(worst, error);
      if (!(error <= 1e-3)) misses.push(`n=${p.n} d=${p.d}: scipy ${p.sf}, ours ${ours}`);
    }
    expect(misses).toEqual([]);
    // Tighter than the contract: a regression in any one algorithm shows up here first.
    expect(worst).toBeLessThan(1e-9);
  });

  it('is the finite-n distribution, not the limiting one (n = 90)', () => {
    // scipy: kstwo.sf(0.1, 90) = 0.30828235590388936, kstwobign.sf(0.1·√90) = 0.329104789097815.
    const exact = kolmogorovSf(90, 0.1);
    expect(Math.abs(exact - 0.30828235590388936)).toBeLessThan(1e-9);
    expect(Math.abs(exact - 0.329104789097815)).toBeGreaterThan(0.02);
  });

  it('handles the domain edges without NaN', () => {
    expect(kolmogorovSf(10, 0)).toBe(1);
    expect(kolmogorovSf(10, 1)).toBe(0);
    expect(kolmogorovSf(10, 0.04)).toBe(1);
    expect(Number.isNaN(kolmogorovSf(0, 0.5))).toBe(true);
    expect(Number.isNaN(kolmogorovSf(2.5, 0.5))).toBe(true);
  });

  it('smirnovSf is the one-sided tail: 2·smirnov equals the two-sided sf for d ≥ 0.5', () => {
    expect(smirnovSf(5, 0)).toBe(1);
    expect(smirnovSf(5, 1)).toBe(0);
    expect(2 * smirnovSf(20, 0.6)).toBeCloseTo(kolmogorovSf(20, 0.6), 15);
  });
});
