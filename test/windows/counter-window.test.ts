/**
 * The count counter window against a plain model (the last N records' event lists): counts, record
 * count and snapshot after random records with any number of events, and a restore of its snapshot
 * (into a window as long or shorter) equal to the model of the newest records.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CountCounterWindow } from '../../src/windows/counter-window.js';

const KINDS = 7;

function modelCounts(records: number[][]): number[] {
  const counts = new Array<number>(KINDS).fill(0);
  for (const r of records) for (const k of r) counts[k]++;
  return counts;
}

describe('CountCounterWindow', () => {
  it('counts the events of exactly the last N records, and restores what it saved', () => {
    const record = fc.array(fc.nat({ max: KINDS - 1 }), { maxLength: 40 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(record, { maxLength: 80 }), fc.integer({ min: 1, max: 12 }), (capacity, records, shorter) => {
        const w = new CountCounterWindow(capacity, KINDS);
        for (const r of records) w.add(0, r);
        const kept = records.slice(-capacity);
        expect([...w.counts()]).toEqual(modelCounts(kept));
        expect(w.records()).toBe(kept.length);
        const restored = new CountCounterWindow(Math.min(capacity, shorter), KINDS);
        restored.restore(w.snapshot());
        const newest = kept.slice(-Math.min(capacity, shorter));
        expect([...restored.counts()]).toEqual(modelCounts(newest));
        expect(restored.records()).toBe(newest.length);
        // And it carries on from there like the model.
        restored.add(0, [1, 1, 2]);
        expect([...restored.counts()]).toEqual(modelCounts([...newest, [1, 1, 2]].slice(-Math.min(capacity, shorter))));
      }),
      { numRuns: 500 },
    );
  });
});
