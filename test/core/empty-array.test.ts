import { describe, expect, it } from 'vitest';
import { emptyArray } from '../../src/core/empty-array.js';

describe('emptyArray', () => {
  it('leaves the same array with no elements, ready to be refilled', () => {
    const a = [1, 2, 3];
    const same = a;
    emptyArray(a);
    expect(a).toBe(same);
    expect(a).toEqual([]);
    a.push(4);
    expect(a).toEqual([4]);
  });

  it('leaves an empty array empty', () => {
    const a: unknown[] = [];
    emptyArray(a);
    expect(a.length).toBe(0);
  });
});
