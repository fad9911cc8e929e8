import { describe, expect, it } from 'vitest';
import { Mulberry32, mulberry32 } from '../../src/stats/random.js';

describe('Mulberry32', () => {
  it('draws the same sequence as mulberry32(seed), and below(n) is floor(next · n)', () => {
    for (const seed of [0, 1, 0x5eed, 0xffffffff, -7]) {
      const f = mulberry32(seed);
      const a = new Mulberry32(seed);
      const b = new Mulberry32(seed);
      for (let i = 0; i < 10_000; i++) {
        const x = f();
        expect(a.next()).toBe(x);
        expect(b.below(i + 1)).toBe(Math.floor(x * (i + 1)));
      }
    }
  });
});
