/** The interner gives exactly the slice it replaces, whatever it held before for that position. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StringInterner } from '../../src/records/string-interner.js';

describe('StringInterner', () => {
  it('returns t.slice(start, end) for any text, cut and position, after any history', () => {
    const strings = new StringInterner();
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.nat(), fc.nat(), fc.nat({ max: 3 }), (t, a, b, position) => {
        const start = a % (t.length + 1);
        const end = start + (b % (t.length - start + 1));
        expect(strings.get(t, start, end, position)).toBe(t.slice(start, end));
      }),
      { numRuns: 5000 },
    );
  });

  it('tells apart strings that share a slot (same length, first and last character)', () => {
    const strings = new StringInterner();
    const values = ['abxa', 'abya', 'aaza', 'abxa', 'azxa', 'abya'];
    for (const v of values) expect(strings.get(`{"c":"${v}"}`, 6, 6 + v.length, 0)).toBe(v);
  });
});

describe('StringInterner on values that never repeat', () => {
  it('keeps giving the exact slices after it stops looking them up', () => {
    const strings = new StringInterner();
    for (let i = 0; i < 2000; i++) {
      const id = `req-${String(i).padStart(8, '0')}`;
      expect(strings.get(`"${id}"`, 1, 1 + id.length, 0)).toBe(id);
      expect(strings.get('"alpha"', 1, 6, 1)).toBe('alpha');
    }
  });
});

describe('StringInterner on a line with very many keys', () => {
  it('gives the exact slices past its position cap and keeps no table for those positions', () => {
    const strings = new StringInterner();
    for (let position = 0; position < 100_000; position++) expect(strings.get('"blue"', 1, 5, position)).toBe('blue');
    const tables = (strings as unknown as { tables: unknown[] }).tables;
    expect(tables.length).toBeLessThanOrEqual(1024);
  });
});
