import { describe, expect, it } from 'vitest';
import { FeatureBinner } from '../../src/windows/feature-binner.js';
import type { CategoricalProfile, RawValue } from '../../src/windows/reference-profile.js';
import { MISSING_BIN } from '../../src/windows/window.js';

const profile = (other: number): CategoricalProfile => ({ type: 'categorical', n: 60 + other, missing: 0, categories: ['a', 'b', 'c'], counts: [30, 20, 10], other });

/** The definition: the reference's categories, then new ones in order of first sight up to the cap, then `__other__` (only `__other__` when the profile folded). */
function expectedBins(values: RawValue[], maxNew: number, folded: boolean): number[] {
  const slots = new Map<string, number>([['a', 0], ['b', 1], ['c', 2]]);
  const other = 3 + maxNew;
  return values.map((v) => {
    if (v === null || v === undefined || v === '' || v === 'NA' || v === 'null' || v === 'NaN') return MISSING_BIN;
    const key = String(v);
    const known = slots.get(key);
    if (known !== undefined) return known;
    if (folded || slots.size - 3 >= maxNew) return other;
    slots.set(key, slots.size);
    return slots.size - 1;
  });
}

/** A stream of 40 categories with repeats: the same string objects, and equal strings built anew (as a line scanner that does not intern gives them). */
function stream(): RawValue[] {
  const names = Array.from({ length: 40 }, (_, i) => `cat${i}`);
  const out: RawValue[] = [];
  let x = 7;
  for (let i = 0; i < 3000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const j = x % 40 < 30 ? x % 12 : x % 40;
    out.push(i % 3 === 0 ? ['c', 'a', 't', String(j)].join('') : names[j]);
    if (i % 97 === 0) out.push(i % 2 ? 'a' : null, 'NA', 5, true);
  }
  return out;
}

describe('categorical bins, with repeats matched before the map', () => {
  for (const [label, maxNew, other] of [
    ['room for every new category', 100, 0],
    ['new categories past the cap go to __other__', 6, 0],
    ['a folded profile sends every unlisted category to __other__', 6, 5],
  ] as const) {
    it(label, () => {
      const values = stream();
      const binner = new FeatureBinner(profile(other), maxNew);
      expect(values.map((v) => binner.bin(v))).toEqual(expectedBins(values, maxNew, other > 0));
      // Restored from its snapshot, a new binner gives every value the same bin.
      const restored = new FeatureBinner(profile(other), maxNew);
      restored.restore(binner.snapshot());
      expect(values.map((v) => restored.bin(v))).toEqual(values.map((v) => binner.bin(v)));
    });
  }
});
