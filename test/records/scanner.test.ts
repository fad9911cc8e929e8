import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ColumnPositions, kindAt, NUMBER, valueAt } from '../../src/core/feature-columns.js';
import type { ModelRecord } from '../../src/records/model-record.js';
import { LineScanner } from '../../src/records/scanner.js';
import { parseTimestamp } from '../../src/records/timestamps.js';
import { harness } from './mapper-harness.js';
import { record, reformat, scalar } from './scanner-arbitraries.js';

/** What the scanner path gives for a line, beside what JSON.parse + map gives; undefined: it declined. */
function bothWays(mapper: ReturnType<typeof harness>['mapper'], line: string) {
  const scanned: ModelRecord[] = [];
  const outcome = mapper.mapLine!(line, scanned);
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { outcome, valid: false as const };
  }
  const parsed: ModelRecord[] = [];
  const expected = mapper.map(value, parsed);
  return { outcome, valid: true as const, expected, scanned, parsed };
}

function expectSame(mapper: ReturnType<typeof harness>['mapper'], line: string): boolean {
  const r = bothWays(mapper, line);
  if (!r.valid) {
    expect(r.outcome, `scanner accepted invalid JSON: ${line}`).toBeUndefined();
    return false;
  }
  if (r.outcome === undefined) return false;
  expect(r.outcome).toEqual(r.expected);
  expect(r.scanned.length).toBe(r.parsed.length);
  for (let i = 0; i < r.parsed.length; i++) {
    const [a, b] = [r.scanned[i], r.parsed[i]];
    expect({ ...a }).toStrictEqual({ ...b });
    expect(Object.keys(a)).toEqual(Object.keys(b));
    expect(Object.keys(a.features)).toEqual(Object.keys(b.features));
    // featureKeys, when given, is Object.keys(features): data quality reads it instead.
    if (a.featureKeys !== undefined) expect(a.featureKeys).toEqual(Object.keys(a.features));
    for (const k of Object.keys(b.features)) expect(Object.is(a.features[k], b.features[k]), k).toBe(true);
    expect(Object.is(a.latencySeconds, b.latencySeconds)).toBe(true);
    expect(a.extra).toEqual(b.extra);
  }
  return true;
}

describe('LineScanner', () => {
  it('gives exactly the records of JSON.parse + mapping for random records, whitespace and escapes', () => {
    const { mapper } = harness({});
    let scanned = 0;
    fc.assert(
      fc.property(record, fc.nat(), (r, seed) => {
        if (expectSame(mapper, reformat(JSON.stringify(r), seed))) scanned++;
      }),
      { numRuns: 3000 },
    );
    // The property is about the lines the scanner takes: most of them must be taken.
    expect(scanned).toBeGreaterThan(1500);
  });

  it('never accepts what JSON.parse rejects: random cuts and edits of valid lines', () => {
    const { mapper } = harness({});
    fc.assert(
      fc.property(record, fc.nat(), fc.nat(), fc.constantFrom('', '"', '}', ',', ':', '\\', '\u0001', 'x', '01', '-', '.', 'e', ' '), (r, at, len, insert) => {
        const line = JSON.stringify(r);
        const cut = at % (line.length + 1);
        expectSame(mapper, line.slice(0, cut) + insert + line.slice(cut + (len % 3)));
      }),
      { numRuns: 3000 },
    );
  });

  it('agrees on number spellings JSON.parse reads', () => {
    const { mapper } = harness({});
    const spellings = ['0', '-0', '-0.0', '1e3', '1E+3', '2.5e-3', '123456789012345678', '0.1', '0.30000000000000004', '1e400', '-1e-400', '9007199254740993', '1.7976931348623157e308', '5e-324', '12.345e-20',
      // The fast path's edges (m / 10^k with at most 15 digits) and just past them: 15, 16 and 17 significant digits, halfway cases.
      '123456789012345', '-99999999999999.9', '0.000000000000001', '1234567890123456', '12345678901234567', '1.0000000000000002', '0.1000000000000000055511151231257827', '100000000000000000000000', '9007199254740992', '9007199254740993.0', '4.35', '2.675', '1e22', '1e23', '1.5e-22', '0e0', '-0e-0'];
    for (const s of spellings) {
      expect(expectSame(mapper, `{"features":{"x":${s}},"latency_ms":${s},"timestamp":1}`), s).toBe(true);
    }
    for (const bad of ['01', '1.', '.5', '+1', '1e', '--1', '0x10', 'NaN', 'Infinity', '-', '-.5', '1.e5', '1e+', '00.5', '-01', '1.5.', '1..5']) {
      expect(expectSame(mapper, `{"features":{"x":${bad}}}`), bad).toBe(false);
    }
  });

  it('maps the committed fixtures the same both ways, with any field configuration that has top-level keys', () => {
    const path = fileURLToPath(new URL('../fixtures/records/generic-churn.jsonl', import.meta.url));
    const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '');
    for (const format of [{}, { fields: { latency: 'latency_s', latency_unit: 's' } }, { fields: { scores: 'prediction' } }, { feature_names: ['a', 'b'] }]) {
      const { mapper } = harness(format);
      for (const line of lines) expect(expectSame(mapper, line), line).toBe(true);
    }
  });

  it('is not offered for nested field paths, which only the getters can follow', () => {
    expect(harness({ fields: { latency: 'timing.total_ms' } }).mapper.mapLine).toBeUndefined();
    expect(harness({ fields: { model: '/meta/model' } }).mapper.mapLine).toBeUndefined();
  });

  it('declines repeated wanted keys and repeated feature keys, where JSON.parse keeps the last', () => {
    const scanner = new LineScanner(['model', 'features'], 1);
    expect(scanner.scan('{"model":"a","model":"b","features":{}}')).toBe(false);
    expect(scanner.scan('{"features":{"x":1,"y":2}}')).toBe(true);
    expect(scanner.scan('{"features":{"x":1,"x":2}}')).toBe(false);
    expect(scanner.scan('{"features":{"y":1,"x":2,"y":3}}')).toBe(false);
    expect(scanner.scan('{"other":1,"other":2,"features":{"x":1}}')).toBe(true);
    expect(scanner.row).toEqual({ x: 1 });
  });

  it('reuses the previous line\'s key strings but never for an escaped key that spells one', () => {
    const scanner = new LineScanner(['features'], 0);
    expect(scanner.scan('{"features":{"\\\\u0041":1}}')).toBe(true);
    expect(Object.keys(scanner.row!)).toEqual(['\\u0041']);
    expect(scanner.scan('{"features":{"\\u0041":1}}')).toBe(true);
    expect(Object.keys(scanner.row!)).toEqual(['A']);
  });
});

/** The own keys of every lent record, whatever its line holds (one object shape). */
const LENT_KEYS = ['error', 'latencySeconds', 'model', 'prediction', 'requestId', 'scores', 'status', 'timestamp', 'version'];

function definedFields(o: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/**
 * A line mapped twice with `lend` (the second time its keys are the previous line's, so the
 * scanner writes typed columns): the lent record equals JSON.parse + map, its columns read by
 * position give exactly the parsed features, and its object row is made only when read.
 */
function expectSameLent(mapper: ReturnType<typeof harness>['mapper'], line: string): 'columns' | 'row' | 'declined' {
  mapper.mapLine!(line, [], true);
  const lent: ModelRecord[] = [];
  const outcome = mapper.mapLine!(line, lent, true);
  if (outcome === undefined) return 'declined';
  const parsed: ModelRecord[] = [];
  expect(outcome).toEqual(mapper.map(JSON.parse(line), parsed));
  expect(lent.length).toBe(parsed.length);
  if (lent.length === 0) return 'row';
  const [a, b] = [lent[0], parsed[0]];
  const columns = a.columns;
  if (columns !== undefined) {
    const names = Object.keys(b.features);
    // Every parsed feature at its position, with its kind; a name not logged is at −1 (missing).
    const at = new ColumnPositions([...names, 'not logged']).of(columns.keys);
    names.forEach((name, i) => {
      expect(Object.is(valueAt(columns, at[i]), b.features[name]), name).toBe(true);
      expect(kindAt(columns, at[i]) === NUMBER, name).toBe(typeof b.features[name] === 'number');
    });
    expect(at[names.length]).toBe(-1);
    expect(columns.keys).toEqual(names);
    expect(a.featureKeys).toBe(columns.keys);
  }
  // A lent record's features are a getter (made when read), its columns an own field, and every
  // optional field an own property (undefined when the line has none); the rest is the same.
  const { columns: _, features: __, ...rest } = { ...a } as ModelRecord;
  const { features: ___, ...expected } = { ...b };
  if (columns !== undefined) {
    expect(Object.keys(rest).sort()).toEqual(LENT_KEYS);
    expect(definedFields(rest)).toStrictEqual(expected);
  } else expect(rest).toStrictEqual(expected);
  expect(a.features).toEqual(b.features);
  expect(Object.keys(a.features)).toEqual(Object.keys(b.features));
  for (const k of Object.keys(b.features)) expect(Object.is(a.features[k], b.features[k]), k).toBe(true);
  expect(a.extra).toEqual(b.extra);
  return columns === undefined ? 'row' : 'columns';
}

// Keys that need escaping in JSON never match the previous line's key by text, so such a row is always made key by key.
const scalarFeatures = fc.dictionary(fc.oneof(fc.constantFrom('a', 'b', 'é', 'x_1'), fc.string({ maxLength: 4 })), scalar, { minKeys: 1, maxKeys: 8 });

describe('lent records (typed columns)', () => {
  it('hold exactly the features of JSON.parse + mapping, read by position, for random records, whitespace and escapes', () => {
    const { mapper } = harness({});
    let columns = 0;
    fc.assert(
      // Half the lines with any features at all, half with an object of scalars (what columns hold).
      fc.property(record, fc.boolean(), scalarFeatures, fc.nat(), (r, asIs, f, seed) => {
        if (expectSameLent(mapper, reformat(JSON.stringify(asIs ? r : { ...r, features: f }), seed)) === 'columns') columns++;
      }),
      { numRuns: 3000 },
    );
    // The property is about the lines taken as columns: many must be.
    expect(columns).toBeGreaterThan(500);
  });

  it('agree on number spellings, literals and numeric strings', () => {
    const { mapper } = harness({});
    for (const v of ['0', '-0', '1e400', '-1e400', '5e-324', '"12.5"', '""', 'true', 'false', 'null', '"NaN"']) {
      expect(expectSameLent(mapper, `{"features":{"x":${v},"y":"a"},"timestamp":1}`), v).toBe('columns');
    }
  });

  it('are one object lent again for every line; what retain() returns is kept; an unlent mapping is unchanged', () => {
    const { mapper } = harness({});
    const line = (x: number) => `{"features":{"x":${x},"c":"k"},"timestamp":1,"request_id":"r${x}"${x === 1 ? ',"status":500' : ''}}`;
    mapper.mapLine!(line(0), [], true);
    const first: ModelRecord[] = [];
    const second: ModelRecord[] = [];
    mapper.mapLine!(line(1), first, true);
    const kept = first[0].retain!();
    mapper.mapLine!(line(2), second, true);
    expect(second[0]).toBe(first[0]);
    expect(second[0].requestId).toBe('r2');
    // The previous line's status does not linger on the record lent again.
    expect(second[0].status).toBeUndefined();
    expect(kept.columns).toBeUndefined();
    expect(kept.features).toEqual({ x: 1, c: 'k' });
    expect({ ...kept }).toStrictEqual({ timestamp: 1, model: 'default-model', version: 'default-version', features: { x: 1, c: 'k' }, requestId: 'r1', status: 500 });
    expect(kept.extra).toEqual(JSON.parse(line(1)));
    // A line the scanner declines moves it on: the lent record can no longer give its line's features or text.
    expect(mapper.mapLine!('{"features":{"x":1,"x":2}}', [], true)).toBeUndefined();
    expect(() => second[0].features).toThrow(/retain/);
    const eager: ModelRecord[] = [];
    mapper.mapLine!(line(3), eager);
    mapper.mapLine!(line(4), []);
    expect(eager[0].columns).toBeUndefined();
    expect(eager[0].features).toEqual({ x: 3, c: 'k' });
  });
});

describe('canonical UTC timestamps', () => {
  it('read the same as the general ISO path for every date and fraction length', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(Date.UTC(100, 0, 1)), max: new Date(Date.UTC(9999, 11, 31)), noInvalidDate: true }), fc.integer({ min: 0, max: 12 }), fc.nat(), (d, digits, f) => {
        const base = d.toISOString().slice(0, 19);
        const text = digits === 0 ? `${base}Z` : `${base}.${String(f).padStart(12, '0').slice(-digits)}Z`;
        // A leading space takes the general (regex) path after trimming.
        expect(Object.is(parseTimestamp(text), parseTimestamp(` ${text}`))).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('leave invalid and unusual ones to the general path with the same answer', () => {
    for (const t of ['2024-02-30T00:00:00Z', '2023-02-29T00:00:00Z', '2024-02-29T00:00:00Z', '2024-13-01T00:00:00Z', '2024-01-01T24:00:00Z', '2024-01-01T23:59:60Z', '0050-01-01T00:00:00Z', '1969-12-31T23:59:59Z', '2024-01-01T00:00:00.Z', '2024-01-01T00:00:00.1234567890123Z', '2024-01-01T0a:00:00Z', '2024-01-01T00:00:00z']) {
      expect(Object.is(parseTimestamp(t), parseTimestamp(` ${t}`)), t).toBe(true);
    }
    expect(parseTimestamp('2024-05-14T09:21:37.512Z')).toBe(Date.UTC(2024, 4, 14, 9, 21, 37) / 1000 + 0.512);
  });
});

describe('LineScanner row shapes', () => {
  it('keeps giving the right rows when every line has another key set (past the compiled-maker cap)', () => {
    const scanner = new LineScanner(['features'], 0);
    for (let i = 0; i < 200; i++) {
      const row = { [`k${i}`]: i, shared: 'x', [`z${i % 3}`]: null };
      expect(scanner.scan(JSON.stringify({ features: row }))).toBe(true);
      expect(scanner.row).toEqual(row);
      expect(scanner.rowKeys).toEqual(Object.keys(row));
      // The same key set again takes the maker for that sequence.
      expect(scanner.scan(JSON.stringify({ features: { ...row, shared: 'y' } }))).toBe(true);
      expect(scanner.row).toEqual({ ...row, shared: 'y' });
      expect(scanner.rowKeys).toEqual(Object.keys(row));
    }
  });
});
