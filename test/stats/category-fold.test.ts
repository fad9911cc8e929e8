/**
 * Folding rare categories by the pooled counts (src/stats/category-fold.ts): the folded table and
 * the chi-squared test on it, against scipy chi2_contingency(correction=False) on the same folding
 * written independently in scripts/gen_category_fold_fixtures.py (fixtures: real flights-2k origins
 * and synthetic edge cases).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { foldCategories } from '../../src/stats/category-fold.js';
import { DriftScorer } from '../../src/stats/drift-scorer.js';

interface FoldCase {
  name: string;
  reference: number[];
  current: number[];
  min_expected_count: number;
  other_bin: number | null;
  folded_reference: number[];
  folded_current: number[];
  chi_squared: { statistic: number; p_value: number; dof: number };
}

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'drift', 'category-fold.json');
const cases = (JSON.parse(readFileSync(FIXTURES, 'utf8')) as { cases: FoldCase[] }).cases;

function expectClose(label: string, actual: number, expected: number): void {
  const tolerance = Math.max(1e-12, 1e-9 * Math.abs(expected));
  expect(Math.abs(actual - expected), `${label}: ${actual} vs ${expected}`).toBeLessThanOrEqual(tolerance);
}

describe('category fold by pooled counts', () => {
  it('has fixtures with folded categories, kept ones, and a table folded to one column', () => {
    expect(cases.length).toBeGreaterThanOrEqual(6);
    expect(cases.some((c) => c.folded_reference.length < c.reference.length - 1)).toBe(true);
    expect(cases.some((c) => c.folded_reference.length === 1)).toBe(true);
  });

  for (const c of cases) {
    it(`${c.name}: folds as the fixture and scores chi_squared as scipy on the folded table`, () => {
      const fold = { minExpectedCount: c.min_expected_count, otherBin: c.other_bin ?? undefined };
      const { rc, cc } = foldCategories(Float64Array.from(c.reference), Float64Array.from(c.current), fold);
      expect(Array.from(rc)).toEqual(c.folded_reference);
      expect(Array.from(cc)).toEqual(c.folded_current);
      const scorer = new DriftScorer('categorical', { methods: ['chi_squared'], primary: 'chi_squared', categoryFold: fold });
      const refTotal = c.reference.reduce((a, b) => a + b, 0);
      const curTotal = c.current.reduce((a, b) => a + b, 0);
      const score = scorer.score({ refCounts: Float64Array.from(c.reference), curCounts: Float64Array.from(c.current), refTotal, curTotal });
      expect(score.bins).toBe(c.folded_reference.length);
      const result = score.methods[0].result!;
      expectClose('statistic', result.value, c.chi_squared.statistic);
      expectClose('p-value', result.pValue!, c.chi_squared.p_value);
    });
  }

  it('without a fold keeps every category seen on either side', () => {
    const scorer = new DriftScorer('categorical', { methods: ['chi_squared'], primary: 'chi_squared' });
    const score = scorer.score({ refCounts: Float64Array.of(30, 1, 0, 2), curCounts: Float64Array.of(25, 0, 0, 3), refTotal: 33, curTotal: 28 });
    expect(score.bins).toBe(3);
  });
});
