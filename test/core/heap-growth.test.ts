/**
 * The old generation's growth limit set at start-up (src/core/heap-growth.ts): 10 % one-shot (the
 * peak RSS target), 30 % live (within 10 % the old generation was marked much of the time), and the environment's
 * MODELWATCH_HEAP_GROWING_PERCENT over both, 0 or nonsense leaving V8's own factor.
 */
import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, heapGrowingPercent } from '../../src/core/heap-growth.js';

describe('heapGrowingPercent', () => {
  it('is 10 % one-shot and 30 % live by default', () => {
    expect(HEAP_GROWING_PERCENT).toEqual({ oneShot: 10, live: 30 });
    expect(heapGrowingPercent(false, {})).toBe(10);
    expect(heapGrowingPercent(true, {})).toBe(30);
  });

  it('takes MODELWATCH_HEAP_GROWING_PERCENT for both; 0, a fraction or a word leaves V8 its own', () => {
    expect(heapGrowingPercent(true, { MODELWATCH_HEAP_GROWING_PERCENT: '15' })).toBe(15);
    expect(heapGrowingPercent(false, { MODELWATCH_HEAP_GROWING_PERCENT: '15' })).toBe(15);
    for (const v of ['0', '2.5', 'ten', '-5', '']) expect(heapGrowingPercent(true, { MODELWATCH_HEAP_GROWING_PERCENT: v })).toBeUndefined();
  });
});
