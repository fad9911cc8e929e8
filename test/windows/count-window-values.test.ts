import { describe, expect, it } from 'vitest';
import { CountWindow } from '../../src/windows/count-window.js';
import { QUALITY, SharedValueRing } from '../../src/windows/shared-value-ring.js';
import { MISSING_BIN } from '../../src/windows/window.js';
import { Mulberry32 } from '../../src/stats/random.js';

describe('CountWindow.values() over a shared value ring', () => {
  it('equals a window with its own ring, in slot order, as windows of other sizes are read in between', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const rnd = new Mulberry32(seed);
      // Two sizes, so that the buffer the shared windows' values() reuse is resized and read by both.
      const capacities = [1 + rnd.below(50), 1 + rnd.below(3000)];
      const pairs = capacities.map((capacity) => {
        const ring = new SharedValueRing(capacity);
        return { ring, shared: new CountWindow(capacity, 3, ring), own: new CountWindow(capacity, 3, 'own') };
      });
      const held: Float64Array[] = [];
      for (let r = 0; r < 4000; r++) {
        const missing = rnd.next() < 0.15;
        const value = rnd.next() < 0.05 ? -0 : rnd.below(1000) / 7 - 50;
        const bin = missing ? MISSING_BIN : rnd.below(3);
        for (const p of pairs) {
          p.shared.push(r, value, bin);
          p.own.push(r, value, bin);
          // Data quality's view of the same ring takes its own values (the ring keeps both).
          if (rnd.next() < 0.5) p.ring.push(QUALITY, missing ? NaN : value);
        }
        if (r % 97 === 0 || r === 3999) {
          for (const p of pairs) {
            const got = p.shared.values();
            expect([...got].map((x) => Object.is(x, -0) ? '-0' : x)).toEqual([...p.own.values()].map((x) => Object.is(x, -0) ? '-0' : x));
            held.push(got);
          }
        }
      }
      // What values() returned is the caller's: later reads did not write into it.
      const again = pairs.map((p) => p.shared.values());
      expect([...held[held.length - 2]]).toEqual([...again[0]]);
      expect([...held[held.length - 1]]).toEqual([...again[1]]);
    }
  });
});
