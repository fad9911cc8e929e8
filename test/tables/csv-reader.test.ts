import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CategoricalColumn, Column, NumericColumn } from '../../src/tables/column.js';
import { CsvError, parseCsv } from '../../src/tables/csv-reader.js';
import { parseDecimal } from '../../src/tables/number-text.js';

const csv = (text: string) => parseCsv(Buffer.from(text, 'utf8'));
const byName = (columns: Column[], name: string) => columns.find((c) => c.name === name)!;
const categories = (c: Column) => {
  const cat = c as CategoricalColumn;
  return Array.from(cat.codes, (code) => (code < 0 ? null : cat.dictionary[code]));
};

describe('parseCsv', () => {
  it('reads numeric and text columns, with missing spellings', () => {
    const t = csv('a,b\n1,x\n,y\nNA,null\n2.5e1,NaN\n');
    expect(t.rowCount).toBe(4);
    const a = byName(t.columns, 'a') as NumericColumn;
    expect(a.kind).toBe('numeric');
    expect(Array.from(a.values)).toEqual([1, NaN, NaN, 25]);
    expect(a.missing).toBe(2);
    expect(categories(byName(t.columns, 'b'))).toEqual(['x', 'y', null, null]);
  });

  it('handles RFC 4180 quotes: commas, doubled quotes, newlines, CRLF and a BOM', () => {
    const t = csv('\uFEFFname,"note, quoted"\r\n"a, b","say ""hi"""\r\n"multi\nline",plain\r\n');
    expect(t.columns.map((c) => c.name)).toEqual(['name', 'note, quoted']);
    expect(categories(t.columns[0])).toEqual(['a, b', 'multi\nline']);
    expect(categories(t.columns[1])).toEqual(['say "hi"', 'plain']);
  });

  it('a column turns categorical at its first text value, re-coding earlier numbers', () => {
    const t = csv('v\n8\n4\nsix\n8.0\n"4"\n');
    expect(categories(t.columns[0])).toEqual(['8', '4', 'six', '8', '4']);
  });

  it('quoted numbers are numbers; blank lines are skipped; short rows are padded with missing', () => {
    const t = csv('a,b\n"3",1\n\n4\n');
    expect(t.rowCount).toBe(2);
    expect(Array.from((t.columns[0] as NumericColumn).values)).toEqual([3, 4]);
    expect(Array.from((t.columns[1] as NumericColumn).values)).toEqual([1, NaN]);
  });

  it('reports malformed input with a line number', () => {
    expect(() => csv('a\n"open\n')).toThrow(CsvError);
    expect(() => csv('a,b\n1,2,3\n')).toThrow(/line 2: more than the header's 2 fields/);
    expect(() => csv('a,a\n1,2\n')).toThrow(/duplicate column/);
    expect(() => csv('')).toThrow(/no header/);
  });
});

describe('parseDecimal', () => {
  const parse = (s: string) => parseDecimal(Buffer.from(s, 'latin1'), 0, s.length);

  it('rejects what is not a plain decimal', () => {
    for (const s of ['', 'abc', '1,5', '0x10', 'Infinity', '1e', '--1', '.', '1.2.3', 'e5']) expect(parse(s), s).toBeUndefined();
  });

  it('accepts the decimal forms pandas reads', () => {
    expect(parse('-0.5')).toBe(-0.5);
    expect(parse('+.5')).toBe(0.5);
    expect(parse('5.')).toBe(5);
    expect(parse(' 12 ')).toBe(12);
    expect(parse('1E-3')).toBe(0.001);
    expect(parse('123456789012345678901234')).toBe(Number('123456789012345678901234'));
  });

  it('is bit-identical to Number() for any double printed in any form', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 1, max: 17 }), (x, digits) => {
        for (const text of [String(x), x.toPrecision(digits), x.toExponential(digits - 1)]) {
          if (!Number.isFinite(Number(text))) continue;
          expect(Object.is(parse(text), Number(text)) || (parse(text) === 0 && Number(text) === 0), text).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
