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

/**
 * mapBytes of the line (followed by `after` in the buffer) against JSON.parse + map; true when the
 * scanner took it. The line lies `at` bytes into its buffer's memory, so the layout's runs start in
 * every lane of a 32-bit word; `at` ≥ 4 puts it in a buffer that begins part-way into that memory
 * (a nonzero byteOffset, with other bytes before it), and the memory ends with `after`, where its
 * last word may be partial (the runs then compared byte by byte).
 */
function expectSame(mapper: Mapper, line: string, after: string, at = 0): boolean {
  const text = Buffer.from(line + after, 'utf8');
  const memory = new Uint8Array(new ArrayBuffer(at + text.length)).fill(0x7d);
  memory.set(text, at);
  const view = at >= 4 ? 4 : 0;
  const b = Buffer.from(memory.buffer, view, memory.length - view);
  return expectBytesAsParsed(mapper, b, at - view, at - view + Buffer.byteLength(line, 'utf8'));
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
            at: fc.nat(7),
          }),
          { minLength: 2, maxLength: 8 },
        ),
        (l, runs) => {
          for (const run of runs) {
            const line = lineOf(l, run.values);
            lines++;
            if (expectSame(mapper, run.edit === null ? line : edited(line, ...run.edit), run.after, run.at)) scanned++;
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

  it('compares each byte of the layout wherever the line lies in its memory: every lane, a byteOffset, a memory ending in a partial word', () => {
    const base = '{"model":"m","features":{"num_00":1.5,"cat":"a"},"status":200}';
    for (let at = 0; at < 12; at++) {
      for (const tail of ['', '\n', 'xy', 'xyz']) {
        // The line at `at` in a memory of `at + line + tail` bytes, seen by a buffer from byte `view`.
        const place = (line: string) => {
          const memory = new Uint8Array(new ArrayBuffer(at + line.length + tail.length)).fill(0x20);
          memory.set(Buffer.from(line + tail, 'latin1'), at);
          const view = at & ~3;
          return { b: Buffer.from(memory.buffer, view, memory.length - view), start: at - view };
        };
        const scanner = new LineScanner(['model', 'features', 'status'], 1);
        const first = place(base);
        expect(scanner.scanBytes(first.b, first.start, first.start + base.length)).toBe(true);
        // The same layout, other values (of other lengths: the runs move to other lanes): read by the layout.
        const other = '{"model":"mm","features":{"num_00":-20.25,"cat":"bb"},"status":5}';
        const second = place(other);
        // The features read key by key in the first line: the second is read the long way and gives the layout.
        expect(scanner.scanBytes(second.b, second.start, second.start + other.length)).toBe(true);
        const third = place(other);
        expect(scanner.scanBytes(third.b, third.start, third.start + other.length)).toBe(true);
        expect(scanner.laidOutLines, `at ${at}, ${JSON.stringify(tail)}`).toBe(1);
        expect([scanner.values[0], { ...scanner.row }, scanner.values[2]]).toEqual(['mm', { num_00: -20.25, cat: 'bb' }, 5]);
        // Each byte of the layout changed, one line at a time (a key's letter to another, a token to a
        // space): the lines the layout was made from read first (by the layout), then the changed
        // one: declined when JSON.parse rejects it, else read as JSON.parse reads it.
        for (let j = 0; j < other.length; j++) {
          const c = other[j];
          if (!`{}":,_0123456789abcdefghijklmnopqrstuvwxyz`.includes(c)) continue;
          const changed = other.slice(0, j) + (c === 'z' ? 'y' : c === ' ' ? '!' : /[a-z_]/.test(c) ? 'z' : ' ') + other.slice(j + 1);
          // Three times: after a changed line that was valid JSON with another key, the first is read
          // the long way, and gives no layout when its feature keys differ from that line's (read key by key).
          const laidOut = scanner.laidOutLines;
          for (const again of [place(other), place(other), place(other)]) expect(scanner.scanBytes(again.b, again.start, again.start + other.length)).toBe(true);
          expect(scanner.laidOutLines, `at ${at}, ${JSON.stringify(tail)}`).toBeGreaterThan(laidOut);
          const p = place(changed);
          let parsed: unknown;
          try {
            parsed = JSON.parse(changed);
          } catch {
            parsed = undefined;
          }
          const took = scanner.scanBytes(p.b, p.start, p.start + changed.length);
          if (parsed === undefined) expect(took, changed).toBe(false);
          else if (took) {
            const o = parsed as { model?: unknown; features?: Record<string, unknown>; status?: unknown };
            expect([scanner.values[0], scanner.values[2]], changed).toEqual([o.model, o.status]);
            expect(scanner.row === undefined ? undefined : { ...scanner.row }, changed).toEqual(o.features);
          }
        }
      }
    }
  });
});
