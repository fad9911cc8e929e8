import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFloat64, decodeInt32, encodeTyped } from '../../src/core/typed-codec.js';
import { CountValues } from '../../src/windows/count-values.js';
import { CountWindow } from '../../src/windows/count-window.js';
import { ringExtras, ringFromExtras } from '../../src/windows/ring-against.js';
import type { SavedSlots } from '../../src/windows/ring-slots.js';
import { MISSING_BIN } from '../../src/windows/window.js';

/** Bit for bit: −0 and +0 apart, every NaN one. */
const bits = (a: Float64Array) => [...a].map((v) => (Object.is(v, -0) ? '-0' : String(v)));

/**
 * One record as both windows take it: drift's count window leaves out a failed request's value and
 * keeps a missing one as missing; data quality's ring takes every record, NaN where missing.
 */
interface Rec {
  value: number;
  missing: boolean;
  failed: boolean;
}

const value = fc.oneof(fc.constantFrom(0, -0, 1, 2.5, Infinity, -Infinity, 1e-300), fc.double({ noNaN: true }));
const records = fc.array(fc.tuple(value, fc.nat(99)), { maxLength: 200 }).map((xs) =>
  xs.map(([v, r]): Rec => ({ value: v, missing: r < 8, failed: r >= 8 && r < 14 })),
);

/** Both windows fed `recs`. */
function windows(recs: readonly Rec[], capacity: number): { drift: CountWindow; ring: CountValues } {
  const drift = new CountWindow(capacity, 3);
  const ring = new CountValues(capacity);
  for (const r of recs) {
    if (!r.failed) drift.push(0, r.missing ? NaN : r.value, r.missing ? MISSING_BIN : 1);
    ring.push(0, r.value, r.missing ? MISSING_BIN : 0);
  }
  return { drift, ring };
}

describe("a value ring saved against drift's window of the same records", () => {
  it("restores bit for bit from drift's window and its extras, whatever the failed, missing and special values", () => {
    fc.assert(
      fc.property(records, fc.integer({ min: 1, max: 40 }), (recs, capacity) => {
        const { drift, ring } = windows(recs, capacity);
        const saved = JSON.parse(JSON.stringify(ring.snapshot(drift))) as SavedSlots;
        // The extras are at most the ring's failed and missing records' values (fewer where one is
        // bit for bit drift's next value), where they are few enough.
        const apart = recs.slice(-capacity).filter((r) => r.failed || r.missing).length;
        if (apart <= 64) expect(decodeFloat64(saved.againstDrift!.values).length).toBeLessThanOrEqual(apart);
        const back = new CountValues(capacity);
        back.restore(saved, drift);
        expect(bits(decodeFloat64((JSON.parse(JSON.stringify(back.snapshot())) as SavedSlots).ring!))).toEqual(bits(decodeFloat64((JSON.parse(JSON.stringify(ring.snapshot())) as SavedSlots).ring!)));
        expect(bits(back.values())).toEqual(bits(ring.values()));
        // Saved again against the same window: the same bytes.
        expect(JSON.stringify(back.snapshot(drift))).toBe(JSON.stringify(saved));
      }),
      { numRuns: 400 },
    );
  });

  it('saves a few extras instead of the ring, and the whole ring past a sixteenth of extras', () => {
    const recs: Rec[] = Array.from({ length: 2000 }, (_, i) => ({ value: i * 0.5, missing: i % 97 === 0, failed: i % 101 === 0 }));
    const { drift, ring } = windows(recs, 1000);
    const saved = ring.snapshot(drift);
    expect(saved.ring).toBeUndefined();
    // 1000 records newest first: 10 missing, 10 failed.
    expect(saved.againstDrift).toMatchObject({ taken: 980 });
    expect(JSON.stringify(saved).length).toBeLessThan(600);
    // Against another feature's drift window: every value an extra, too many.
    const other = windows(recs.map((r) => ({ ...r, value: r.value + 1 })), 1000).drift;
    const whole = ring.snapshot(other);
    expect([whole.againstDrift, decodeFloat64(whole.ring!).length]).toEqual([undefined, 1000]);
  });

  it("refuses a ring saved against values drift's window does not hold, changing nothing", () => {
    const recs: Rec[] = Array.from({ length: 300 }, (_, i) => ({ value: Math.sin(i), missing: i % 31 === 0, failed: i % 17 === 0 }));
    const { drift, ring } = windows(recs, 100);
    const saved = JSON.parse(JSON.stringify(ring.snapshot(drift))) as SavedSlots;
    const kept = new CountValues(100);
    kept.push(0, 42, 0);
    // Another window: one value changed, one more record, fewer records, none at all.
    const changed = windows(recs.map((r, i) => (i === 290 ? { ...r, value: 7 } : r)), 100).drift;
    const later = windows([...recs, { value: 1, missing: false, failed: false }], 100).drift;
    const fewer = windows(recs.slice(250), 100).drift;
    for (const other of [changed, later, fewer, undefined]) {
      expect(() => kept.restore(saved, other)).toThrow(/does not fit/);
      expect([...kept.values()]).toEqual([42]);
    }
    // An older version (ring-slots.ts reads `ring` or `bins`) finds neither: it refuses the window too.
    expect([saved.ring, saved.bins]).toEqual([undefined, undefined]);
  });

  it('refuses a hostile or torn saved ring with a clear error, changing nothing', () => {
    const recs: Rec[] = Array.from({ length: 150 }, (_, i) => ({ value: i / 7, missing: i % 13 === 0, failed: i % 11 === 0 }));
    const { drift, ring } = windows(recs, 100);
    const saved = JSON.parse(JSON.stringify(ring.snapshot(drift))) as SavedSlots & { againstDrift: Record<string, unknown> };
    const a = saved.againstDrift;
    const slots = decodeInt32(a.slots as string);
    const bad: [string, unknown][] = [
      ['a slot out of range', { ...saved, againstDrift: { ...a, slots: encodeTyped(Int32Array.from(slots, (x, i) => (i === 0 ? 1000 : x))).toJSON() } }],
      ['fewer values than slots', { ...saved, againstDrift: { ...a, values: encodeTyped(new Float64Array(1)).toJSON() } }],
      ['taken negative', { ...saved, againstDrift: { ...a, taken: -1 } }],
      ['taken not a number', { ...saved, againstDrift: { ...a, taken: 'x' } }],
      ['another hash', { ...saved, againstDrift: { ...a, check: (a.check as number) ^ 1 } }],
      ['no slots', { ...saved, againstDrift: { ...a, slots: undefined } }],
      ['slots not base64 of Int32', { ...saved, againstDrift: { ...a, slots: 'AAA' } }],
      ['a head past the ring', { ...saved, head: 100 }],
      ['filled past the ring', { ...saved, filled: 101 }],
    ];
    const kept = new CountValues(100);
    kept.push(0, 42, 0);
    for (const [what, state] of bad) {
      expect(() => kept.restore(state, drift), what).toThrow(/does not fit/);
      expect([...kept.values()], what).toEqual([42]);
    }
  });

  it('places extras by slot over a wrapped ring', () => {
    const ring = Float64Array.of(3, NaN, 1, 9, 2);
    // Newest first from head 2: slots 1, 0, 4, 3, 2 hold NaN, 3, 2, 9, 1; drift's window holds 3, 2, 1.
    const theirs = Float64Array.of(3, 2, 1);
    const extras = ringExtras(ring, 2, 5, theirs, 8)!;
    expect([[...extras.slots], [...extras.values], extras.taken]).toEqual([[1, 3], [NaN, 9], 3]);
    expect(bits(ringFromExtras(5, 2, 5, theirs, extras))).toEqual(bits(ring));
    expect(ringExtras(ring, 2, 5, theirs, 1)).toBeUndefined();
  });
});
