import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortedFloat64, sortFloat64 } from '../../src/stats/sort.js';

describe('sortedFloat64 (radix sort on IEEE bits)', () => {
  it('sorts like the built-in numeric sort, across the radix threshold', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 0, maxLength: 5000 }), (values) => {
        const expected = Float64Array.from(values).sort();
        const actual = sortedFloat64(values);
        expect(actual.length).toBe(expected.length);
        for (let i = 0; i < expected.length; i++) expect(actual[i] === expected[i]).toBe(true);
      }),
      { numRuns: 60 },
    );
  });

  it('gives the built-in sort\'s bits (−0 before +0, every digit of both words), narrow and wide digits alike', () => {
    const specials = [0, -0, 5e-324, -5e-324, Infinity, -Infinity, 1, -1, 2 ** 52 + 1, -(2 ** 52 + 1)];
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(...specials)), { minLength: 2048, maxLength: 6000 }), (values) => {
        const expected = new Uint32Array(Float64Array.from(values).sort().buffer);
        expect(new Uint32Array(sortedFloat64(values).buffer)).toEqual(expected);
      }),
      { numRuns: 20 },
    );
    const wide = Float64Array.from({ length: 1 << 18 }, (_, i) => [0, -0][i % 2] || Math.sin(i) * 10 ** (i % 40) * (i % 3 === 0 ? -1 : 1));
    expect(new Uint32Array(sortedFloat64(wide).buffer)).toEqual(new Uint32Array(wide.slice().sort().buffer));
  });

  it('handles negatives, infinities, subnormals and many ties on a large input', () => {
    const values = Array.from({ length: 10000 }, (_, i) => [-Infinity, Infinity, -5e-324, 5e-324, -1e308, 3, -3][i % 7] * (i % 3 === 0 ? 1 : 1));
    const sorted = sortedFloat64(values);
    for (let i = 1; i < sorted.length; i++) expect(sorted[i - 1] <= sorted[i]).toBe(true);
    expect(sorted[0]).toBe(-Infinity);
    expect(sorted[sorted.length - 1]).toBe(Infinity);
  });

  it('returns arrays of its own: a later sort (reusing the scratch) leaves an earlier result as it was', () => {
    // Integers skip the low word's passes (three of six 11-bit ones: an odd count, so the result ends
    // in the scratch and is copied out); 1 + k·2^-30 over two exponents skips others.
    const kinds = [(i: number) => Math.sin(i) * 1e3, (i: number) => (i * 7919) % 5000, (i: number) => (1 + ((i * 7919) % 16384) * 2 ** -30) * 2 ** (i % 2)];
    const results = kinds.flatMap((f) => [3000, 9000].map((n) => ({ expected: Float64Array.from({ length: n }, (_, i) => f(i)).sort(), actual: sortedFloat64(Float64Array.from({ length: n }, (_, i) => f(i))) })));
    // Beyond the kept scratch (2^17 values): its own buffer.
    const large = Float64Array.from({ length: 140_000 }, (_, i) => Math.cos(i));
    results.push({ expected: large.slice().sort(), actual: sortedFloat64(large) });
    // 2^18 values and more: 16-bit digits (four passes; integers two).
    for (const f of [(i: number) => Math.cos(i) * 1e6, (i: number) => (i * 7919) % 100_003]) {
      const wide = Float64Array.from({ length: 300_000 }, (_, i) => f(i));
      results.push({ expected: wide.slice().sort(), actual: sortedFloat64(wide) });
    }
    for (const { expected, actual } of results) expect(actual).toEqual(expected);
  });

  it('leaves its input unchanged', () => {
    const input = Float64Array.from({ length: 3000 }, (_, i) => 3000 - i);
    sortedFloat64(input);
    expect(input[0]).toBe(3000);
  });

  it('sorts in place (sortFloat64), a subarray too, leaving the rest of its buffer alone', () => {
    for (const n of [100, 5000]) {
      const buffer = Float64Array.from({ length: n + 2 }, (_, i) => Math.sin(i) * 1e3);
      const expected = buffer.slice(1, n + 1).sort();
      const part = buffer.subarray(1, n + 1);
      expect(sortFloat64(part)).toBe(part);
      expect(part).toEqual(expected);
      expect(buffer[0]).toBe(Math.sin(0) * 1e3);
      expect(buffer[n + 1]).toBe(Math.sin(n + 1) * 1e3);
    }
  });
});
