import { describe, expect, it } from 'vitest';
import { decodeFloat64, decodeInt32, decodeUint8, encodeTyped } from '../../src/core/typed-codec.js';
import { Mulberry32 } from '../../src/stats/random.js';
import { BYTE_BINS, CountWindow } from '../../src/windows/count-window.js';
import { CountValues } from '../../src/windows/count-values.js';
import { decodeSlots, type SavedSlots } from '../../src/windows/ring-slots.js';
import { MISSING_BIN } from '../../src/windows/window.js';

/** What a window of the last `capacity` observations must count: bins and missing, by brute force. */
function expected(pushed: number[], capacity: number, nBins: number): { counts: number[]; missing: number } {
  const counts = new Array<number>(nBins).fill(0);
  let missing = 0;
  for (const b of pushed.slice(-capacity)) {
    if (b === MISSING_BIN) missing++;
    else counts[b]++;
  }
  return { counts, missing };
}

/** A run's observations per bin, as pushCounted takes them. */
function counted(bins: readonly number[], nBins: number): Int32Array {
  const out = new Int32Array(nBins);
  for (const b of bins) if (b !== MISSING_BIN) out[b]++;
  return out;
}

describe('CountWindow bins kept a byte a slot', () => {
  it('counts the top bin and missing observations apart, one at a time and in runs, and saves its bins as it keeps them, MISSING_BIN read back', () => {
    // BYTE_BINS bins: the top bin (254) and the missing mark (255 in the byte) must not be confused;
    // BYTE_BINS + 1 bins: an Int32 ring, saved as the Int32 bins it always was.
    for (const nBins of [2, BYTE_BINS, BYTE_BINS + 1]) {
      const rnd = new Mulberry32(nBins);
      const capacity = 37;
      const w = new CountWindow(capacity, nBins);
      const pushed: number[] = [];
      const values: number[] = [];
      for (let r = 0; r < 300; r++) {
        const u = rnd.next();
        const bin = u < 0.2 ? MISSING_BIN : u < 0.5 ? nBins - 1 : rnd.below(nBins);
        const value = bin === MISSING_BIN ? NaN : bin + 0.5;
        if (r % 50 < 25) w.push(r, value, bin);
        else w.pushCounted(Float64Array.of(value), Int32Array.of(bin), 1, counted([bin], nBins), bin === MISSING_BIN ? 1 : 0);
        pushed.push(bin);
        values.push(value);
        if (r % 50 === 49) {
          // A run longer than the window: it evicts observations of its own.
          const run = Array.from({ length: capacity + 23 }, () => (rnd.next() < 0.2 ? MISSING_BIN : rnd.below(nBins)));
          const runValues = Float64Array.from(run, (b) => (b === MISSING_BIN ? NaN : b + 0.5));
          w.pushCounted(runValues, Int32Array.from(run), run.length, counted(run, nBins), run.filter((b) => b === MISSING_BIN).length);
          pushed.push(...run);
          values.push(...runValues);
        }
        const want = expected(pushed, capacity, nBins);
        expect([...w.counts()]).toEqual(want.counts);
        expect(w.missing()).toBe(want.missing);
      }
      const saved = w.snapshot();
      // A byte a slot where the bins fit one: a quarter of the Int32 form's bytes.
      if (nBins <= BYTE_BINS) expect([saved.bins, saved.ring, decodeUint8(saved.binBytes!).length]).toEqual([undefined, undefined, capacity]);
      else expect([saved.binBytes, saved.values, decodeInt32(saved.bins!).length]).toEqual([undefined, undefined, capacity]);
      const bins = decodeSlots(saved, capacity, nBins).bins;
      // Slot i holds observation 300 − capacity + ((i − head) mod capacity).
      for (let i = 0; i < capacity; i++) {
        const age = (saved.head - 1 - i + capacity) % capacity;
        expect(bins[i]).toBe(pushed[pushed.length - 1 - age]);
      }
      // Restored into a window of the other width (Int32 ↔ byte for the same bins where both fit): the same window.
      const again = new CountWindow(capacity, nBins);
      again.restore(JSON.parse(JSON.stringify(saved)) as unknown);
      expect([...again.counts()]).toEqual([...w.counts()]);
      expect(again.missing()).toBe(w.missing());
      expect([...again.values()]).toEqual([...w.values()]);
      expect(decodeSlots(again.snapshot(), capacity, nBins).bins).toEqual(bins);
      expect(JSON.stringify(again.snapshot())).toBe(JSON.stringify(saved));
      // The form saved before (values as `ring`, Int32 `bins`): the same window restored.
      const earlier = new CountWindow(capacity, nBins);
      earlier.restore({ ring: encodeTyped(decodeSlots(saved, capacity, nBins).ring!).toJSON(), bins: encodeTyped(bins).toJSON(), head: saved.head, filled: saved.filled });
      expect(JSON.stringify(earlier.snapshot())).toBe(JSON.stringify(saved));
    }
  });

  it('saves byte bins under keys an older version refuses, not as values without bins (which it read as one bin)', () => {
    // An older version's reading (ring-slots.ts before the byte form): bins from `bins`, else from
    // `ring` as a one-bin window, else refused. The byte form must take the refusal path: the
    // window starts empty there, and says so, rather than every value in bin 0.
    const olderReads = (s: SavedSlots) => s.bins !== undefined || s.ring !== undefined;
    for (const values of ['own', 'none'] as const) {
      const w = new CountWindow(5, 10, values);
      for (const b of [1, 9, MISSING_BIN, 4]) w.push(0, b + 0.25, b);
      expect(olderReads(JSON.parse(JSON.stringify(w.snapshot())) as SavedSlots)).toBe(false);
    }
  });

  it('restores a byte ring from a window of more bins whose saved bins fit, and refuses one whose do not', () => {
    const wide = new CountWindow(4, BYTE_BINS + 10, 'none');
    for (const b of [3, MISSING_BIN, 200, 7]) wide.push(0, 0, b);
    const narrow = new CountWindow(4, BYTE_BINS, 'none');
    narrow.restore(JSON.parse(JSON.stringify(wide.snapshot())) as unknown);
    expect(narrow.missing()).toBe(1);
    expect(narrow.counts()[200]).toBe(1);
    wide.push(0, 0, BYTE_BINS + 5);
    expect(() => narrow.restore(JSON.parse(JSON.stringify(wide.snapshot())) as unknown)).toThrow(/does not fit/);
  });

  it('saves no values for a window that keeps none, and restores the earlier form (a ring of zeros) and its own alike', () => {
    const capacity = 9;
    const w = new CountWindow(capacity, 5, 'none');
    const pushed = [3, MISSING_BIN, 0, 4, 4, 1, MISSING_BIN, 2, 0, 3, 1, 4];
    for (const b of pushed) w.push(0, 0, b);
    const saved = JSON.parse(JSON.stringify(w.snapshot())) as SavedSlots;
    expect([saved.ring, saved.values]).toEqual([undefined, undefined]);
    const bins = encodeTyped(decodeSlots(saved, capacity, 5).bins).toJSON();
    // The earlier forms: a ring of zeros beside Int32 bins, and the Int32 bins alone.
    const earlier = [
      { head: saved.head, filled: saved.filled, bins, ring: encodeTyped(new Float64Array(capacity)).toJSON() },
      { head: saved.head, filled: saved.filled, bins },
    ];
    for (const form of [saved, ...earlier]) {
      const back = new CountWindow(capacity, 5, 'none');
      back.restore(form);
      expect([...back.counts()]).toEqual([...w.counts()]);
      expect(back.missing()).toBe(w.missing());
      expect(JSON.stringify(back.snapshot())).toBe(JSON.stringify(saved));
      // A window that keeps values, restored from one that kept none: zeros, as the earlier form held.
      const own = new CountWindow(capacity, 5, 'own');
      own.push(0, 7.5, 1);
      own.restore(form);
      expect([...own.values()]).toEqual(new Array<number>(w.size()).fill(0));
    }
    expect(() => new CountWindow(capacity, 5, 'none').restore({ head: 0, filled: 0 })).toThrow(/does not fit/);
  });
});

describe('CountValues in its own ring', () => {
  it('gives its last N values newest first and saves them by slot, NaN and MISSING_BIN where missing, and restores what it saved', () => {
    const rnd = new Mulberry32(7);
    const capacity = 23;
    const own = new CountValues(capacity);
    const pushed: number[] = [];
    for (let r = 0; r < 200; r++) {
      const missing = rnd.next() < 0.15;
      const value = rnd.below(9) - 4;
      own.push(r, value, missing ? MISSING_BIN : 0);
      pushed.push(missing ? NaN : value);
      if (r % 17 === 0 || r < capacity + 2) {
        const last = pushed.slice(-capacity);
        expect([...own.values()]).toEqual(last.filter((v) => !Number.isNaN(v)).reverse());
        expect(own.size()).toBe(last.filter((v) => !Number.isNaN(v)).length);
        expect(own.missing()).toBe(last.filter((v) => Number.isNaN(v)).length);
        // Slot k mod N holds push k (as a one-bin CountWindow saves it): its value, NaN and MISSING_BIN where missing.
        const saved = own.snapshot();
        const ring = new Float64Array(capacity);
        const bins = new Int32Array(capacity);
        pushed.forEach((v, k) => {
          ring[k % capacity] = v;
          bins[k % capacity] = Number.isNaN(v) ? MISSING_BIN : 0;
        });
        expect(decodeFloat64(saved.ring!)).toEqual(ring);
        // No bins: they follow from the values (NaN where missing).
        expect(saved.bins).toBeUndefined();
        // The form saved before, with the bins: the same window restored.
        const earlier = new CountValues(capacity);
        earlier.restore({ ring: encodeTyped(ring).toJSON(), bins: encodeTyped(bins).toJSON(), head: saved.head, filled: saved.filled });
        expect(JSON.stringify(earlier.snapshot())).toBe(JSON.stringify(saved));
        expect([saved.head, saved.filled]).toEqual([pushed.length % capacity, Math.min(pushed.length, capacity)]);
      }
    }
    expect(own.missing()).toBeGreaterThan(0);
    const restored = new CountValues(capacity);
    restored.restore(JSON.parse(JSON.stringify(own.snapshot())) as unknown);
    expect([...restored.values()]).toEqual([...own.values()]);
    expect(restored.missing()).toBe(own.missing());
    // Not yet full: restored from slot 0, and goes on from its head.
    const part = new CountValues(capacity);
    for (const v of [1, 2, 3]) part.push(0, v, 0);
    const back = new CountValues(capacity);
    back.restore(JSON.parse(JSON.stringify(part.snapshot())) as unknown);
    back.push(0, 4, 0);
    expect([...back.values()]).toEqual([4, 3, 2, 1]);
    // A saved window not yet full whose head is not at its end does not fit: refused.
    const odd = { ...(JSON.parse(JSON.stringify(part.snapshot())) as SavedSlots), head: 1 };
    expect(() => new CountValues(capacity).restore(odd)).toThrow(/does not fit/);
  });
});
