/**
 * The typed reference columns (a Float64Array of numbers, codes into distinct values) read as the
 * arrays of raw values they stand for: the same numbers for a numeric feature, the same categories
 * for a categorical one, the same rows picked.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { categoriesOf, numbersOf, pickRows, type ColumnValues } from '../../src/stats/multivariate/column-values.js';
import { categoryValue, numericValue, type EncodedValue } from '../../src/stats/multivariate/record-encoder.js';

const value = fc.oneof(
  fc.double({ noNaN: false }),
  fc.constantFrom<EncodedValue>(null, undefined, '', 'NA', 'null', 'NaN', 'x', 'y', '1', ' 2', true, false, 1, 0, -0, Infinity, -Infinity),
);

function coded(values: readonly EncodedValue[]): ColumnValues {
  const distinct: EncodedValue[] = [];
  const codes = Int32Array.from(values, (v) => {
    const at = distinct.findIndex((d) => Object.is(d, v));
    return at >= 0 ? at : distinct.push(v) - 1;
  });
  return { codes, distinct };
}

/** Categories as names, row by row (undefined: missing). */
function names(values: ColumnValues): (string | undefined)[] {
  const { codes, names } = categoriesOf(values);
  return Array.from(codes, (c) => (c < 0 ? undefined : names[c]));
}

describe('column values', () => {
  it('read coded and numeric columns as the raw values they stand for', () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 60 }), (values) => {
        const plain = [...values];
        expect(Array.from(numbersOf(plain))).toEqual(values.map((v) => numericValue(v)));
        expect(Array.from(numbersOf(coded(values)))).toEqual(values.map((v) => numericValue(v)));
        expect(names(plain)).toEqual(values.map((v) => categoryValue(v)));
        expect(names(coded(values))).toEqual(values.map((v) => categoryValue(v)));
        const numbers = Float64Array.from(values, (v) => (typeof v === 'number' ? v : NaN));
        expect(Array.from(numbersOf(numbers))).toEqual(Array.from(numbers, (v) => numericValue(v)));
        const keep = Uint32Array.from(values.keys()).filter((i) => i % 3 !== 1);
        expect(numbersOf(pickRows(coded(values), keep))).toEqual(numbersOf(pickRows(plain, keep)));
        expect(numbersOf(pickRows(numbers, keep))).toEqual(numbersOf(Array.from(keep, (i) => numbers[i])));
      }),
      { numRuns: 200 },
    );
  });

  it('gives a Float64Array of finite numbers and NaN back as it is, and copies one holding an infinity', () => {
    const clean = Float64Array.of(1, NaN, 3);
    expect(numbersOf(clean)).toBe(clean);
    const infinite = Float64Array.of(1, Infinity, -Infinity);
    const read = numbersOf(infinite);
    expect(read).not.toBe(infinite);
    expect(Array.from(read)).toEqual([1, NaN, NaN]);
    expect(infinite[1]).toBe(Infinity);
  });
});
