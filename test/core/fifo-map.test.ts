import { describe, expect, it } from 'vitest';
import { FifoMap } from '../../src/core/fifo-map.js';

describe('FifoMap', () => {
  it('yields the oldest live entry, skipping deleted and re-inserted keys', () => {
    const m = new FifoMap<number>();
    m.set('a', 1);
    m.set('b', 2);
    m.set('c', 3);
    m.delete('a');
    m.set('b', 20); // re-inserted: now the newest
    expect(m.oldest()).toEqual(['c', 3]);
    expect(m.shift()).toEqual(['c', 3]);
    expect(m.shift()).toEqual(['b', 20]);
    expect(m.shift()).toBeUndefined();
    expect(m.size).toBe(0);
  });

  it('stays linear under a flood of insert-and-evict (no quadratic skipping)', () => {
    const m = new FifoMap<number>();
    for (let i = 0; i < 300_000; i++) {
      m.set(`k${i}`, i);
      if (m.size > 1000) m.shift();
    }
    expect(m.size).toBe(1000);
    expect(m.oldest()).toEqual(['k299000', 299000]);
  });
});
