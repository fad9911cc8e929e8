import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalUtcSeconds, parseTimestamp } from '../../src/records/timestamps.js';

const T = 1_715_678_497; // 2024-05-14T09:21:37Z

describe('parseTimestamp', () => {
  it('reads epoch numbers by magnitude', () => {
    expect(parseTimestamp(T)).toBe(T);
    expect(parseTimestamp(T + 0.5)).toBe(T + 0.5);
    expect(parseTimestamp(T * 1e3 + 512)).toBeCloseTo(T + 0.512, 6);
    expect(parseTimestamp(T * 1e6 + 512_930)).toBeCloseTo(T + 0.51293, 6);
    expect(parseTimestamp(T * 1e9)).toBeCloseTo(T, 3);
    expect(parseTimestamp(0)).toBe(0);
  });

  it('reads numeric strings like numbers', () => {
    expect(parseTimestamp(String(T))).toBe(T);
    expect(parseTimestamp(` ${T * 1000} `)).toBe(T);
    expect(parseTimestamp('1715678497123456789')).toBeCloseTo(T + 0.123456789, 3);
    expect(parseTimestamp('1.715678497e9')).toBe(T);
  });

  it('reads RFC 3339 with fractions and zones', () => {
    expect(parseTimestamp('2024-05-14T09:21:37Z')).toBe(T);
    expect(parseTimestamp('2024-05-14T09:21:37.512930823Z')).toBeCloseTo(T + 0.512930823, 6);
    expect(parseTimestamp('2024-05-14T11:21:37.5+02:00')).toBe(T + 0.5);
    expect(parseTimestamp('2024-05-14T04:21:37-0500')).toBe(T);
    expect(parseTimestamp('2024-05-14T11:21:37+02')).toBe(T);
    expect(parseTimestamp('2024-05-14t09:21:37z')).toBe(T);
    expect(parseTimestamp('2024-05-14 09:21:37,25')).toBe(T + 0.25);
  });

  it('takes a date-time without zone as UTC, and a bare date as midnight UTC', () => {
    expect(parseTimestamp('2024-05-14T09:21:37')).toBe(T);
    expect(parseTimestamp('2024-05-14T09:21')).toBe(T - 37);
    expect(parseTimestamp('2024-05-14')).toBe(Date.UTC(2024, 4, 14) / 1000);
  });

  it('rejects what is not a timestamp', () => {
    for (const bad of [
      '',
      'yesterday',
      '2024-13-01T00:00:00Z',
      '2024-02-30T00:00:00Z',
      '2024-05-14T25:00:00Z',
      '2024-05-14T09:61:00Z',
      '2024-05-14T09:21:37+25:00',
      '1960-01-01T00:00:00Z',
      -5,
      Number.NaN,
      Number.POSITIVE_INFINITY,
      true,
      null,
      {},
      [T],
    ]) {
      expect(parseTimestamp(bad), String(bad)).toBeUndefined();
    }
  });

  it('accepts a leap day', () => {
    expect(parseTimestamp('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29) / 1000);
  });
});

describe('the canonical UTC fast path', () => {
  it('equals Date.UTC / 1000 + fraction for random instants, in any order and in runs within one minute', () => {
    const reference = (iso: string) => {
      const [date, time] = iso.slice(0, -1).split('T');
      const [y, mo, d] = date.split('-').map(Number);
      const [h, mi, s] = time.split(':');
      const [whole, frac = ''] = s.split('.');
      return Date.UTC(y, mo - 1, d, Number(h), Number(mi), Number(whole)) / 1000 + (frac ? Number(frac) / 10 ** frac.length : 0);
    };
    fc.assert(
      fc.property(fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }), fc.nat({ max: 59_999 }), (d, later) => {
        const iso = d.toISOString();
        expect(parseTimestamp(iso)).toBe(reference(iso));
        // The next instant of the same minute reuses the minute's start.
        const same = new Date(Math.min(d.getTime() - (d.getTime() % 60_000) + later, 7_258_118_399_999)).toISOString();
        expect(parseTimestamp(same)).toBe(reference(same));
        expect(parseTimestamp(`${same.slice(0, 19)}Z`)).toBe(reference(`${same.slice(0, 19)}Z`));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the canonical UTC form read from bytes', () => {
  it('answers only where parseTimestamp of the string takes the same value, for canonical forms, edits and random ASCII', () => {
    const canonical = fc
      .tuple(fc.date({ min: new Date(Date.UTC(1, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }), fc.integer({ min: 0, max: 13 }), fc.nat())
      .map(([d, digits, f]) => `${d.toISOString().slice(0, 19)}${digits === 0 ? '' : `.${String(f).padStart(13, '0').slice(-digits)}`}Z`);
    const edited = fc.tuple(canonical, fc.nat(), fc.constantFrom('0', '9', '-', ':', 'T', ' ', '.', 'Z', 'é', '\u0000', 'x', '')).map(([t, at, c]) => t.slice(0, at % t.length) + c + t.slice((at % t.length) + 1));
    fc.assert(
      fc.property(fc.oneof(canonical, edited, fc.string({ minLength: 18, maxLength: 34 })), fc.string({ maxLength: 2 }), (t, pad) => {
        // The string's UTF-8 bytes inside a larger buffer, as the scanner hands them.
        const b = Buffer.from(`${pad}${t}"x`);
        const start = Buffer.byteLength(pad);
        const fromBytes = canonicalUtcSeconds(b, start, start + Buffer.byteLength(t));
        if (fromBytes !== undefined) expect(Object.is(fromBytes, parseTimestamp(t)), t).toBe(true);
        // Where the string is canonical, the bytes give an answer: the general (regex) path agrees.
        if (fromBytes !== undefined) expect(Object.is(fromBytes, parseTimestamp(` ${t}`)), t).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('answers for every canonical instant from year 100 on (the fast path is taken, not only agreed with)', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(Date.UTC(1970, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }), (d) => {
        const t = d.toISOString();
        const b = Buffer.from(t);
        expect(canonicalUtcSeconds(b, 0, b.length)).toBe(d.getTime() / 1000 === Math.trunc(d.getTime() / 1000) ? d.getTime() / 1000 : parseTimestamp(` ${t}`));
      }),
      { numRuns: 2000 },
    );
  });
});
