/** The interner gives exactly the decoded bytes it replaces, whatever it held before for that position. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StringInterner } from '../../src/records/string-interner.js';

/**
 * get() of the whole of `s`, as the scanner calls it (bytes of a read buffer, ascii said by the
 * caller); `hash` as the scanner's stringEnd takes it unless given.
 */
function intern(strings: StringInterner, s: string, position: number, pad = '', hash?: number): string {
  const b = Buffer.from(`${pad}${s}"`);
  const start = Buffer.byteLength(pad);
  let h = 0;
  for (let j = start; j < b.length - 1; j++) h = (Math.imul(h, 31) + b[j]) | 0;
  return strings.get(b, start, b.length - 1, position, Buffer.byteLength(s) === s.length, hash ?? h);
}

describe('StringInterner', () => {
  it('returns the decoded bytes for any well-formed text, offset and position, after any history', () => {
    const strings = new StringInterner();
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 80 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom('é', 'ée', 'e\u0301', '日本', '😀', 'a😀')), fc.string({ maxLength: 3 }), fc.nat({ max: 3 }), (t, pad, position) => {
        expect(intern(strings, t, position, pad)).toBe(t);
      }),
      { numRuns: 5000 },
    );
  });

  it('returns the decoded bytes whatever hash it is given: the hash only picks the slot', () => {
    const strings = new StringInterner();
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom('alpha', 'bravo', 'é', 'ée', 'aéa', 'aåa', ''), fc.string({ maxLength: 6 })), fc.oneof(fc.constantFrom(0, 1, -1), fc.integer()), fc.nat({ max: 2 }), (t, hash, position) => {
        expect(intern(strings, t, position, '"', hash)).toBe(t);
      }),
      { numRuns: 5000 },
    );
  });

  it('tells apart strings that share a slot (same byte length, first and last byte)', () => {
    const strings = new StringInterner();
    // 'aéa' and 'aåa' are both 4 bytes starting with 'a' and ending with 'a'; so are 'abxa' and 'azxa'.
    const values = ['abxa', 'abya', 'aaza', 'abxa', 'azxa', 'abya', 'aéa', 'aåa', 'aéa'];
    for (const v of values) expect(intern(strings, v, 0, '{"c":"')).toBe(v);
  });

  it('hands back the same string object for repeated bytes, from another buffer', () => {
    const strings = new StringInterner();
    const first = intern(strings, 'charlie', 0);
    const again = intern(strings, 'charlie', 0, 'xx');
    expect(again).toBe(first);
  });
});

describe('StringInterner on values that never repeat', () => {
  it('keeps giving the exact strings after it stops looking them up', () => {
    const strings = new StringInterner();
    for (let i = 0; i < 2000; i++) {
      const id = `req-${String(i).padStart(8, '0')}`;
      expect(intern(strings, id, 0, '"')).toBe(id);
      expect(intern(strings, 'alpha', 1, '"')).toBe('alpha');
    }
  });
});

describe('StringInterner on a line with very many keys', () => {
  it('gives the exact strings past its position cap and keeps no table for those positions', () => {
    const strings = new StringInterner();
    for (let position = 0; position < 100_000; position++) expect(intern(strings, 'blue', position)).toBe('blue');
    const tables = (strings as unknown as { tables: unknown[] }).tables;
    expect(tables.length).toBeLessThanOrEqual(1024);
  });
});

describe('StringInterner.heldEnd (a held string recognised before its end is looked for)', () => {
  /** heldEnd at the start of `text` placed after `pad`; the string it gives, or undefined for −1, and where it said the quote is. */
  function held(strings: StringInterner, text: string, position: number, pad = '{"c":"'): { value: string | undefined; at: number } {
    const b = Buffer.from(`${pad}${text}`);
    const start = Buffer.byteLength(pad);
    const at = strings.heldEnd(b, start, position);
    return { value: at < 0 ? undefined : strings.held, at: at < 0 ? -1 : at - start };
  }

  // Values that share their first bytes, empty and one-byte strings, UTF-8, and strings JSON text must escape.
  const values = ['ab', 'abc', 'abd', 'a', '', 'é', 'éa', 'a"b', 'a\\b', 'a\nb', 'category_1', 'category_2', '😀'];

  it('gives only what JSON.parse gives for the string at hand, after any history of get() (raw text, any spelling)', () => {
    const strings = new StringInterner();
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...values), { minLength: 1, maxLength: 6 }), fc.constantFrom(...values), fc.constantFrom('', '"', '",', '"}', 'c"', 'x'), fc.nat({ max: 2 }), (history, s, tail, position) => {
        for (const v of history) intern(strings, v, position);
        // The JSON text of s (escaped where it must be) then what follows it in the line.
        const spelled = JSON.stringify(s).slice(1);
        const { value, at } = held(strings, spelled + tail, position);
        if (value === undefined) return;
        // A hit is the string the JSON text spells, ending at its closing quote.
        expect(value).toBe(s);
        expect(at).toBe(Buffer.byteLength(spelled) - 1);
      }),
      { numRuns: 5000 },
    );
  });

  it('recognises each of a small set of categories once held, and never one whose text needs escapes', () => {
    const strings = new StringInterner();
    for (const v of ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'a"b']) intern(strings, v, 0);
    for (const v of ['alpha', 'bravo', 'charlie', 'delta', 'echo']) expect(held(strings, `${v}"}`, 0).value).toBe(v);
    // 'a"b' is held, but the text a"b" is the string a followed by b": never 'a"b'.
    expect(held(strings, 'a"b"', 0).value).toBeUndefined();
    // Bytes that continue past a held string are another string.
    expect(held(strings, 'alphabet"', 0).value).toBeUndefined();
    expect(held(strings, 'alph"', 0).value).toBeUndefined();
  });

  it('stops recognising at a position that gave up (values that never repeat)', () => {
    const strings = new StringInterner();
    intern(strings, 'req-0', 0);
    for (let i = 1; i < 2000; i++) intern(strings, `req-${i}`, 0);
    expect(held(strings, 'req-0"', 0).value).toBeUndefined();
  });
});
