/**
 * Lines read by the previous line's layout (records/line-layout.ts): runs of lines that share their
 * keys, whitespace and nesting with other values in between, and the same runs with one byte of the
 * layout changed, inserted or removed, each mapped by one scanner (so each line meets the layout of
 * the line before) against JSON.parse + map of the line: the same records, or a line JSON.parse
 * rejects declined. Keys include duplicates, `__proto__`, non-ASCII, unwanted keys and the features
 * object's keys; values include every scalar, containers where a scalar was, numbers past the fast
 * path and strings with escapes.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LineScanner } from '../../src/records/scanner.js';
import { expectBytesAsParsed, harness } from './mapper-harness.js';
import { hostileString, numberText } from './scanner-arbitraries.js';

type Mapper = ReturnType<typeof harness>['mapper'];

/** mapBytes of the line (followed by `after` in the buffer) against JSON.parse + map; true when the scanner took it. */
function expectSame(mapper: Mapper, line: string, after: string): boolean {
  return expectBytesAsParsed(mapper, Buffer.from(line + after, 'utf8'), 0, Buffer.byteLength(line, 'utf8'));
}

const TOP_KEYS = ['timestamp', 'request_id', 'model', 'model_version', 'features', 'prediction', 'scores', 'latency_ms', 'status', 'error', 'x', 'é', '__proto__'];
const FEATURE_KEYS = ['a', 'b', 'num_0', 'num_1', 'é', '😀', '__proto__', ''];
const WHITESPACE = ['', '', '', ' ', '\t', ' \r '];

/** A layout: top-level keys (the features key's value an object of these feature keys), and the whitespace around tokens. */
const layout = fc.record({
  top: fc.array(fc.constantFrom(...TOP_KEYS), { minLength: 1, maxLength: 8 }),
  features: fc.array(fc.constantFrom(...FEATURE_KEYS), { minLength: 1, maxLength: 5 }),
  space: fc.array(fc.nat(WHITESPACE.length - 1), { minLength: 4, maxLength: 4 }),
});
type Layout = typeof layout extends fc.Arbitrary<infer T> ? T : never;

/** JSON text of a value: scalars most of the time, sometimes a container or a number's other spelling. */
const valueText = fc.oneof(
  { weight: 6, arbitrary: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -999, max: 99_999 })).map((x) => JSON.stringify(x)) },
  { weight: 2, arbitrary: numberText },
  { weight: 4, arbitrary: fc.constantFrom('cat', 'dog', 'churn', 'v1', '', 'r-1', '2024-05-14T09:21:37.512Z', '2024-05-14T09:21:37Z', '2024-02-30T00:00:00Z').map((s) => JSON.stringify(s)) },
  { weight: 2, arbitrary: hostileString.map((s) => JSON.stringify(s)) },
  { weight: 1, arbitrary: fc.date({ min: new Date(-1e12), max: new Date(4e12), noInvalidDate: true }).map((d) => JSON.stringify(d.toISOString())) },
  { weight: 2, arbitrary: fc.constantFrom('true', 'false', 'null', '{}', '[]', '[1,"a"]', '{"a":1}', '"a\\"b"', '"\\u0063at"') },
);

/** The line of this layout around these values (one per value position, reused in turn). */
function lineOf(l: Layout, values: string[]): string {
  const [s0, s1, s2, s3] = l.space.map((k) => WHITESPACE[k]);
  let v = 0;
  const next = () => values[v++ % values.length];
  const pair = (key: string, value: string) => `${s1}${JSON.stringify(key)}${s2}:${s3}${value}`;
  const entries = l.top.map((key) =>
    pair(key, key === 'features' ? `{${l.features.map((f) => pair(f, next())).join(',')}${s1}}` : next()),
  );
  return `${s0}{${entries.join(',')}${s1}}${s0}`;
}

/** One byte of the line's layout (outside its values: the edit lands anywhere) changed, inserted or removed. */
function edited(line: string, at: number, how: number, c: string): string {
  const i = at % (line.length + 1);
  if (how === 0) return line.slice(0, i) + c + line.slice(i);
  if (how === 1) return line.slice(0, i) + c + line.slice(i + 1);
  return line.slice(0, i) + line.slice(i + 1);
}

describe('lines read by the previous line\'s layout (LineLayout)', () => {
  it('gives JSON.parse + map for runs of lines sharing a layout, with other values and edited layouts, and whatever follows the line', () => {
    const { mapper } = harness({});
    let scanned = 0;
    let lines = 0;
    fc.assert(
      fc.property(
        layout,
        fc.array(
          fc.record({
            values: fc.array(valueText, { minLength: 1, maxLength: 14 }),
            edit: fc.option(fc.tuple(fc.nat(), fc.nat(2), fc.constantFrom('"', ',', ':', ' ', '{', '}', '[', 'a', '_', '0', '-', 'é', '\\', 'e')), { freq: 3 }),
            after: fc.constantFrom('\n', '', '}', ',"x":1}', ' ', '0', '"}', 'e5'),
          }),
          { minLength: 2, maxLength: 8 },
        ),
        (l, runs) => {
          for (const run of runs) {
            const line = lineOf(l, run.values);
            lines++;
            if (expectSame(mapper, run.edit === null ? line : edited(line, ...run.edit), run.after)) scanned++;
          }
        },
      ),
      { numRuns: 1500 },
    );
    // Most lines are taken by the scanner (the property is about them, not about declining).
    expect(scanned).toBeGreaterThan(lines / 3);
  });

  it('reads a line by the layout when its runs match, and the long way when one byte of them differs', () => {
    const scanner = new LineScanner(['timestamp', 'model', 'features'], 2, 0);
    const line = (model: string, key: string, x: string) => Buffer.from(`{"timestamp":"2024-05-14T09:21:37Z","model":"${model}","features":{"${key}":${x},"b":"c"}}`);
    const read = (b: Buffer) => {
      expect(scanner.scanBytes(b, 0, b.length)).toBe(true);
      return { model: scanner.values[1], row: { ...scanner.row }, keys: scanner.rowKeys, time: scanner.time };
    };
    expect(read(line('m', 'a', '1'))).toEqual({ model: 'm', row: { a: 1, b: 'c' }, keys: ['a', 'b'], time: 1715678497 });
    expect(read(line('mm', 'a', '2.5'))).toEqual({ model: 'mm', row: { a: 2.5, b: 'c' }, keys: ['a', 'b'], time: 1715678497 });
    // The first feature key one byte longer or different: the key the line spells, not the layout's.
    expect(read(line('mm', 'aa', '3'))).toEqual({ model: 'mm', row: { aa: 3, b: 'c' }, keys: ['aa', 'b'], time: 1715678497 });
    // A key given twice in the features: declined, however the line before was read.
    expect(scanner.scanBytes(line('mm', 'b', '4'), 0, line('mm', 'b', '4').length)).toBe(false);
    expect(read(line('m', 'a', 'null'))).toEqual({ model: 'm', row: { a: null, b: 'c' }, keys: ['a', 'b'], time: 1715678497 });
    // The layout's runs followed by more bytes: the line must end where the last run ends.
    const longer = Buffer.from(`${line('m', 'a', '5').toString()} `);
    expect(scanner.scanBytes(longer, 0, longer.length)).toBe(true);
    const extra = Buffer.from(`${line('m', 'a', '5').toString()}x`);
    expect(scanner.scanBytes(extra, 0, extra.length)).toBe(false);
  });
});
