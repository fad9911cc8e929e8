import { describe, expect, it } from 'vitest';
import { CountWindow } from '../../src/windows/count-window.js';
import { MISSING_BIN } from '../../src/windows/window.js';
import { Mulberry32 } from '../../src/stats/random.js';

/** −0 told apart from 0 (toEqual does not). */
const signed = (xs: ArrayLike<number>) => Array.from(xs, (x) => (Object.is(x, -0) ? '-0' : x));

describe('CountWindow.values()', () => {
  it('gives the values present in slot order (0s where it keeps none), as windows of other sizes are read in between', () => {
    for (let seed = 1; seed <= 30; seed++) {
      const rnd = new Mulberry32(seed);
      const capacities = [1 + rnd.below(50), 1 + rnd.below(3000)];
      const windows = capacities.map((capacity) => ({ capacity, own: new CountWindow(capacity, 3, 'own'), none: new CountWindow(capacity, 3, 'none'), slots: [] as { value: number; bin: number }[], head: 0 }));
      const held: Float64Array[] = [];
      for (let r = 0; r < 4000; r++) {
        const missing = rnd.next() < 0.15;
        const value = rnd.next() < 0.05 ? -0 : rnd.below(1000) / 7 - 50;
        const bin = missing ? MISSING_BIN : rnd.below(3);
        for (const w of windows) {
          w.own.push(r, value, bin);
          w.none.push(r, value, bin);
          w.slots[w.head] = { value, bin };
          w.head = (w.head + 1) % w.capacity;
        }
        if (r % 97 === 0 || r === 3999) {
          for (const w of windows) {
            const present = w.slots.filter((s) => s.bin !== MISSING_BIN);
            const got = w.own.values();
            expect(signed(got)).toEqual(signed(present.map((s) => s.value)));
            expect([...w.none.values()]).toEqual(present.map(() => 0));
            held.push(got);
          }
        }
      }
      // What values() returned is the caller's: later reads did not write into it.
      const again = windows.map((w) => w.own.values());
      expect(signed(held[held.length - 2])).toEqual(signed(again[0]));
      expect(signed(held[held.length - 1])).toEqual(signed(again[1]));
    }
  });
});
