import { describe, expect, it } from 'vitest';
import { sameValue } from '../../src/core/same-value.js';

describe('sameValue', () => {
  it('compares numbers by Object.is and trees of arrays, typed arrays, Maps and objects by content', () => {
    expect(sameValue(NaN, NaN)).toBe(true);
    expect(sameValue(0, -0)).toBe(false);
    expect(sameValue(undefined, null)).toBe(false);
    expect(sameValue({ a: 1, b: [1, 2, { c: 'x' }] }, { a: 1, b: [1, 2, { c: 'x' }] })).toBe(true);
    expect(sameValue({ a: 1, b: [1, 2, { c: 'x' }] }, { a: 1, b: [1, 2, { c: 'y' }] })).toBe(false);
    expect(sameValue([1, 2], [1, 2, 3])).toBe(false);
    expect(sameValue(Float64Array.of(1, NaN), Float64Array.of(1, NaN))).toBe(true);
    expect(sameValue(Float64Array.of(1, 2), Float64Array.of(1, 3))).toBe(false);
    expect(sameValue(Float64Array.of(1, 2), Float32Array.of(1, 2))).toBe(false);
    expect(sameValue([1, 2], Float64Array.of(1, 2))).toBe(false);
    expect(sameValue(new Map([[1, Float64Array.of(0.5)]]), new Map([[1, Float64Array.of(0.5)]]))).toBe(true);
    expect(sameValue(new Map([[1, 0.5]]), new Map([[2, 0.5]]))).toBe(false);
    // Order matters: a family's samples are written in the Map's order.
    expect(sameValue(new Map([[1, 0], [2, 0]]), new Map([[2, 0], [1, 0]]))).toBe(false);
    expect(sameValue({ a: undefined }, {})).toBe(false);
    expect(sameValue({ a: 1, b: 2 }, { a: 1, c: 2 })).toBe(false);
    expect(sameValue(new Set([1, 2]), new Set([1, 2]))).toBe(true);
  });
});
