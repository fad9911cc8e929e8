import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  OTHER_CATEGORY,
  binIndex,
  categoricalBins,
  categoryFrequencies,
  countNumeric,
} from '../../src/stats/binning.js';
import { loadCases, categoryValues } from './drift-fixtures.js';

describe('binIndex (searchsorted side=left)', () => {
  const edges = Float64Array.from([1, 2, 3]);
  it('counts the edges strictly below the value', () => {
    expect(binIndex(edges, 0)).toBe(0);
    expect(binIndex(edges, 1)).toBe(0);
    expect(binIndex(edges, 1.5)).toBe(1);
    expect(binIndex(edges, 3)).toBe(2);
    expect(binIndex(edges, 3.0001)).toBe(3);
    expect(binIndex(new Float64Array(0), 42)).toBe(0);
  });

  it('agrees with a linear scan for any sorted edges', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 20 }), fc.integer({ min: -60, max: 60 }), (raw, v) => {
        const edges = Float64Array.from(new Set(raw)).sort();
        const expected = Array.from(edges).filter((e) => e < v).length;
        expect(binIndex(edges, v)).toBe(expected);
      }),
    );
  });

  it('skips NaN when counting', () => {
    expect(Array.from(countNumeric(Float64Array.from([0]), [Number.NaN, -1, 1]))).toEqual([1, 1]);
  });
});

describe('categoricalBins', () => {
  for (const c of loadCases().filter((x) => x.type === 'categorical')) {
    it(`${c.name}: one bin per category of the union, same counts as the fixture`, () => {
      const bins = categoricalBins(categoryFrequencies(categoryValues(c.reference)), categoryFrequencies(categoryValues(c.current)));
      const byName = (counts: Float64Array) => Object.fromEntries(bins.categories.map((k, i) => [k, counts[i]]));
      const expectedRef = Object.fromEntries(c.categories!.map((k, i) => [k, c.reference_counts[i]]));
      const expectedCur = Object.fromEntries(c.categories!.map((k, i) => [k, c.current_counts[i]]));
      expect(byName(bins.reference)).toEqual(expectedRef);
      expect(byName(bins.current)).toEqual(expectedCur);
    });
  }

  it('folds categories beyond the cap into __other__, keeping the reference top ones', () => {
    const ref = new Map([['a', 10], ['b', 5], ['c', 2], ['d', 1]]);
    const cur = new Map([['a', 3], ['e', 7]]);
    const bins = categoricalBins(ref, cur, 3);
    expect(bins.categories).toEqual(['a', 'b', OTHER_CATEGORY]);
    expect(Array.from(bins.reference)).toEqual([10, 5, 3]);
    expect(Array.from(bins.current)).toEqual([3, 0, 7]);
  });

  it('ignores null and undefined when counting frequencies', () => {
    expect(categoryFrequencies(['x', null, undefined, 'x', 'y'])).toEqual(new Map([['x', 2], ['y', 1]]));
  });
});
