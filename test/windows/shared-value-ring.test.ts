import { describe, expect, it } from 'vitest';
import { DRIFT, QUALITY, SharedValueRing } from '../../src/windows/shared-value-ring.js';
import { Mulberry32 } from '../../src/stats/random.js';

/** Each view's last `capacity` values, newest first: what the ring must give back. */
function lastOf(values: number[], capacity: number): number[] {
  return values.slice(-capacity).reverse();
}

function same(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe('SharedValueRing', () => {
  it('gives each view exactly its own last N values, whatever the other pushes', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rnd = new Mulberry32(seed);
      const capacity = 1 + rnd.below(40);
      let ring = new SharedValueRing(capacity);
      const pushed: number[][] = [[], []];
      // How often each view skips a record, and how often their values differ, vary by seed.
      const skip = [rnd.next() * 0.3, rnd.next() * 0.3];
      const differ = rnd.next() * 0.4;
      for (let r = 0; r < 500; r++) {
        const value = rnd.next() < 0.1 ? NaN : rnd.below(5) - 2;
        for (const view of [DRIFT, QUALITY]) {
          if (rnd.next() < skip[view]) continue;
          const v = view === QUALITY && rnd.next() < differ ? (rnd.next() < 0.5 ? NaN : -0) : value;
          ring.push(view, v);
          pushed[view].push(v);
        }
        if (r === 250 && seed % 3 === 0) {
          // A new drift window (after an eviction): it starts empty, data quality's stays.
          ring.reset(DRIFT);
          pushed[DRIFT] = [];
        }
        if (r === 300 && seed % 4 === 0) {
          // A restart: both windows restored from what they held, into a new ring.
          const [drift, quality] = [ring.byAge(DRIFT, capacity), ring.byAge(QUALITY, capacity)];
          ring = new SharedValueRing(capacity);
          ring.restore(DRIFT, drift);
          ring.restore(QUALITY, quality);
        }
        for (const view of [DRIFT, QUALITY]) {
          const got = ring.byAge(view, capacity);
          if (!same(got, lastOf(pushed[view], capacity))) throw new Error(`seed ${seed}, record ${r}, view ${view}: ${[...got]} vs ${lastOf(pushed[view], capacity)}`);
        }
        // Never more than the two windows' own values, and their slack, twice over.
        expect(ring.bytes).toBeLessThanOrEqual(9 * 2 * 2 * (capacity + Math.ceil(capacity / 16) + 1));
      }
    }
  });

  it('holds the values once when both views push the same', () => {
    const ring = new SharedValueRing(1000);
    for (let r = 0; r < 5000; r++) {
      ring.push(DRIFT, r % 7);
      ring.push(QUALITY, r % 7);
    }
    expect(ring.appended).toBe(5000);
    expect(ring.taken).toBe(5000);
    // The window and its 1/16 of slack, 9 bytes each (value and members): 8% more than one window's values, not 2×.
    expect(ring.bytes).toBe(9 * (1000 + 63 + 1));
  });

  it('restores both views from their saved values, holding what they agree on once', () => {
    const ring = new SharedValueRing(5);
    // Newest first; data quality's window holds a failed request's value (9) that drift skipped.
    ring.restore(DRIFT, Float64Array.of(1, 2, 3, 4, 5));
    ring.restore(QUALITY, Float64Array.of(1, 2, 9, 3, 4));
    expect([...ring.byAge(DRIFT, 5)]).toEqual([1, 2, 3, 4, 5]);
    expect([...ring.byAge(QUALITY, 5)]).toEqual([1, 2, 9, 3, 4]);
    ring.push(DRIFT, 7);
    ring.push(QUALITY, 7);
    expect(ring.taken).toBe(1);
    expect([...ring.byAge(DRIFT, 5)]).toEqual([7, 1, 2, 3, 4]);
    expect([...ring.byAge(QUALITY, 5)]).toEqual([7, 1, 2, 9, 3]);
    expect(() => ring.restore(DRIFT, new Float64Array(6))).toThrow(/does not fit/);
  });
});
