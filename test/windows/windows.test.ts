import { describe, expect, it } from 'vitest';
import { CountWindow } from '../../src/windows/count-window.js';
import { TimeWindow } from '../../src/windows/time-window.js';
import { savedSubBuckets } from '../../src/windows/time-window-state.js';
import { MISSING_BIN } from '../../src/windows/window.js';

describe('CountWindow', () => {
  it('keeps exactly the last N observations, counts and values, missing apart', () => {
    const w = new CountWindow(3, 2);
    w.push(0, 1, 0);
    w.push(0, 2, 1);
    w.push(0, 0, MISSING_BIN);
    expect([...w.counts()]).toEqual([1, 1]);
    expect(w.size()).toBe(2);
    expect(w.missing()).toBe(1);
    w.push(0, 5, 1); // evicts value 1 (bin 0)
    w.push(0, 6, 1); // evicts value 2 (bin 1)
    expect([...w.counts()]).toEqual([0, 2]);
    expect(w.missing()).toBe(1);
    w.push(0, 7, 0); // evicts the missing one
    expect(w.missing()).toBe(0);
    expect([...w.values()].sort()).toEqual([5, 6, 7]);
  });
});

describe('TimeWindow', () => {
  it('slides by sub-buckets: observations older than the window leave it', () => {
    const w = new TimeWindow(60, 2, 1000, 6); // 6 sub-buckets of 10 s
    w.push(0, 1, 0);
    w.push(15, 2, 1);
    w.push(25, 0, MISSING_BIN);
    expect(w.size()).toBe(2);
    w.advance(59);
    expect(w.size()).toBe(2);
    w.advance(60); // the sub-bucket [0,10) has left
    expect([...w.counts()]).toEqual([0, 1]);
    expect(w.missing()).toBe(1);
    w.advance(90); // [10,20) and [20,30) left too
    expect(w.size()).toBe(0);
    expect(w.missing()).toBe(0);
    expect(w.values().length).toBe(0);
  });

  it('ignores observations already older than the window', () => {
    const w = new TimeWindow(60, 1, 1000, 6);
    w.push(1000, 1, 0);
    w.push(900, 1, 0);
    expect(w.size()).toBe(1);
  });

  it('keeps counts exact and values bounded by reservoir sampling under heavy traffic', () => {
    const w = new TimeWindow(60, 1, 600, 6); // 100 values per sub-bucket
    for (let i = 0; i < 60_000; i++) w.push(i / 1000, i, 0);
    expect(w.size()).toBe(60_000);
    const values = w.values();
    expect(values.length).toBe(600);
    // A uniform sample of 0…59999: its mean is near the middle.
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    expect(Math.abs(mean - 30_000)).toBeLessThan(3000);
  });

  it('saves its reservoirs\' schedule, and restores a state saved without one (before Algorithm L)', () => {
    const w = new TimeWindow(60, 1, 60, 6); // 10 values per sub-bucket
    for (let i = 0; i < 6000; i++) w.push(i / 100, i, 0);
    const saved = w.snapshot();
    const full = savedSubBuckets(saved).filter((b) => b.seen > 10);
    expect(full.length).toBeGreaterThan(0);
    for (const b of full) expect(b.next).toBeGreaterThan(b.seen);
    // An older state: the same fields less the schedule.
    const old = JSON.parse(JSON.stringify({ span: saved.span, newestEpoch: saved.newestEpoch, buckets: savedSubBuckets(saved).map(({ next: _n, weight: _w, ...b }) => b) }));
    for (const state of [JSON.parse(JSON.stringify(saved)), old]) {
      const r = new TimeWindow(60, 1, 60, 6);
      r.restore(state);
      expect(Array.from(r.values())).toEqual(Array.from(w.values()));
      expect(r.size()).toBe(w.size());
      const again = r.snapshot();
      for (const b of savedSubBuckets(again).filter((x) => x.seen > 10)) expect(b.next).toBeGreaterThan(b.seen);
      // It goes on sampling: later values reach the reservoir of the newest sub-bucket.
      for (let i = 6000; i < 7000; i++) r.push(i / 100, i, 0);
      expect(r.size()).toBe(6000);
      expect(Array.from(r.values()).some((v) => v >= 6000 && v < 7000)).toBe(true);
    }
  });
});
