import { describe, expect, it } from 'vitest';
import { linearQuantile, quantileEdges, sortedCopy } from '../../src/stats/quantile-edges.js';
import { countNumeric } from '../../src/stats/binning.js';
import { loadCases, numericValues } from './drift-fixtures.js';

const numericCases = loadCases().filter((c) => c.type === 'numeric');

describe('quantileEdges against numpy.quantile (linear) + unique', () => {
  it('has numeric fixtures from real data sets', () => {
    expect(numericCases.filter((c) => c.source.startsWith('vega-datasets')).length).toBeGreaterThanOrEqual(17);
  });

  for (const c of numericCases) {
    it(`${c.name}: edges bit-identical, counts identical`, () => {
      const ref = sortedCopy(numericValues(c.reference));
      const edges = quantileEdges(ref, c.bins ?? 10);
      // Exact equality: a value on an edge must fall in the same bin as numpy puts it.
      expect(Array.from(edges)).toEqual(c.edges);
      expect(Array.from(countNumeric(edges, ref))).toEqual(c.reference_counts);
      expect(Array.from(countNumeric(edges, numericValues(c.current)))).toEqual(c.current_counts);
    });
  }
});

describe('linearQuantile', () => {
  it('interpolates from the nearer end like numpy _lerp', () => {
    const s = Float64Array.from([0, 10]);
    expect(linearQuantile(s, 0.25)).toBe(2.5);
    expect(linearQuantile(s, 0.75)).toBe(7.5);
    expect(linearQuantile(s, 1)).toBe(10);
    expect(linearQuantile(s, 0)).toBe(0);
  });

  it('a constant reference gives one distinct edge (two bins)', () => {
    expect(Array.from(quantileEdges(Float64Array.from([3, 3, 3, 3]), 10))).toEqual([3]);
  });

  it('an empty reference gives no edges and rejects a bad bin count', () => {
    expect(quantileEdges(new Float64Array(0)).length).toBe(0);
    expect(() => quantileEdges(Float64Array.from([1]), 0)).toThrow(/bins/);
  });
});
