/**
 * A time window's sorted values (TimeWindow.sortedValues, src/windows/sorted-closed-values.ts): the
 * closed sub-buckets' values kept merged between ticks from the second read on, the open one's merged in. Whatever the
 * schedule (records in order and late, the ring wrapping, jumps past the whole window, idle spells,
 * checkpoints' captures, restores, reads between any two steps), they are the window's values() as
 * the radix sort orders them, bit for bit (−0 before +0, duplicates, infinities).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortFloat64 } from '../../src/stats/sort.js';
import type { SortedClosedValues } from '../../src/windows/sorted-closed-values.js';
import { TimeWindow } from '../../src/windows/time-window.js';
import { MISSING_BIN } from '../../src/windows/window.js';

const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
/** The bits of each value (−0 and +0 apart), to compare arrays exactly. */
const bits = (xs: Float64Array) => [...xs].map((x) => (Object.is(x, -0) ? '-0' : String(x)));
/** The merge a window keeps (private: read to see which path a schedule took). */
const mergeOf = (w: TimeWindow) => (w as unknown as { sorted: SortedClosedValues | undefined }).sorted;

function expectSorted(w: TimeWindow) {
  const expected = bits(sortFloat64(w.values()));
  expect(bits(w.sortedValues())).toEqual(expected);
  // Into a room as a tick lends it (a larger buffer's first n), and read twice in a row.
  let buffer = new Float64Array(0);
  const room = (n: number) => (buffer.length >= n ? buffer : (buffer = new Float64Array(n + 7))).subarray(0, n);
  expect(bits(w.sortedValues(room))).toEqual(expected);
}

const value = fc.oneof(fc.constantFrom(0, -0, 1, 1, 2.5, -3, Infinity, -Infinity, 1e-300), fc.double({ noNaN: true }));
type Op =
  | { kind: 'push'; late: number; value: number; missing: boolean }
  | { kind: 'batch'; late: number; values: number[] }
  | { kind: 'wait'; seconds: number }
  | { kind: 'read' }
  | { kind: 'capture' }
  | { kind: 'restore' };
const op: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: fc.record({ kind: fc.constant('push' as const), late: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 80 })), value, missing: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('batch' as const), late: fc.integer({ min: 0, max: 30 }), values: fc.array(value, { maxLength: 40 }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('wait' as const), seconds: fc.oneof(fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 200 })) }) },
  { weight: 4, arbitrary: fc.constant({ kind: 'read' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'capture' as const }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'restore' as const }) },
);

function run(ops: Op[], make: () => TimeWindow) {
  const w = make();
  let now = 1_700_000_000;
  for (const o of ops) {
    if (o.kind === 'push') w.push(now - o.late, o.value, o.missing ? MISSING_BIN : 1);
    else if (o.kind === 'batch') {
      const n = o.values.length;
      w.pushBatch(new Float64Array(n).fill(now - o.late), Float64Array.from(o.values), new Int32Array(n).fill(2), n);
    } else if (o.kind === 'wait') {
      now += o.seconds;
      w.advance(now);
    } else if (o.kind === 'read') expectSorted(w);
    else if (o.kind === 'capture') w.snapshot();
    else {
      const saved = json(w.snapshot());
      w.restore(saved);
    }
  }
  expectSorted(w);
}

describe('TimeWindow.sortedValues', () => {
  it('is values() radix-sorted, bit for bit, under any schedule of records, waits, captures and restores', () => {
    // 60 s in 6 sub-buckets of 10 s, 8 values a sub-bucket: reservoirs fill and sample.
    fc.assert(fc.property(fc.array(op, { maxLength: 300 }), (ops) => run(ops, () => new TimeWindow(60, 3, 48, 6))), { numRuns: 300 });
  });

  it('is values() radix-sorted when the window is large enough for the radix sort (≥ 2,048 values)', () => {
    const bulk = fc.array(fc.record({ kind: fc.constant('batch' as const), late: fc.integer({ min: 0, max: 25 }), values: fc.array(value, { minLength: 200, maxLength: 400 }) }), { maxLength: 12 });
    const schedule = fc.array(fc.oneof(op, bulk.map((b) => b as Op[])), { maxLength: 60 }).map((xs) => xs.flat());
    fc.assert(fc.property(schedule, (ops) => run(ops, () => new TimeWindow(30, 3, 6000, 3))), { numRuns: 60 });
  });

  it('keeps the closed sub-buckets merged in steady traffic: one sort at the second read, then a merge step per sub-bucket that closes or expires', () => {
    // 1 h in 30 sub-buckets of 2 minutes, 10,000 values: the live bench's windows, an hour and a half of 5 records a second, read every 15 s.
    const w = new TimeWindow(3600, 4, 10_000, 30);
    let x = 0;
    for (let t = 0; t < 5400; t += 0.2) {
      w.push(t, Math.sin(x++) * 100, 1);
      if (Math.round(t * 5) % 75 === 0) {
        w.advance(t);
        expect(bits(w.sortedValues())).toEqual(bits(sortFloat64(w.values())));
      }
    }
    const merge = mergeOf(w)!;
    expect(merge.builds).toBe(1);
    // 44 closings (the second read found one closed), 15 expiries.
    expect(merge.steps).toBeGreaterThanOrEqual(58);
    expect(merge.steps).toBeLessThanOrEqual(60);
  });

  it('builds the merge again after a late record changes a closed sub-bucket, and not otherwise', () => {
    const w = new TimeWindow(60, 3, 48, 6);
    for (let t = 0; t < 60; t++) w.push(t, t % 7, 1);
    w.advance(60);
    // Read once (a one-shot run's last tick): sorted whole, no merge kept.
    expect(bits(w.sortedValues())).toEqual(bits(sortFloat64(w.values())));
    expect(mergeOf(w)).toBeUndefined();
    w.sortedValues();
    const merge = mergeOf(w)!;
    expect(merge.builds).toBe(1);
    w.push(61, 5, 1);
    expect(bits(w.sortedValues())).toEqual(bits(sortFloat64(w.values())));
    expect(merge.builds).toBe(1);
    // Late: into the sub-bucket of 20–30 s, closed and merged.
    w.push(25, -0, 1);
    w.push(26, 0, 1);
    expect(bits(w.sortedValues())).toEqual(bits(sortFloat64(w.values())));
    expect(merge.builds).toBe(2);
    // Another late record into the same sub-bucket after that read: its fast path was closed by the read.
    w.push(27, -1, 1);
    expect(bits(w.sortedValues())).toEqual(bits(sortFloat64(w.values())));
    expect(merge.builds).toBe(3);
  });
});
