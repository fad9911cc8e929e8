/**
 * The hot-path shortcuts added for throughput must not change what is counted: the last-model
 * cache in ModelSeries (idle eviction, overflow counting) and the last-sub-bucket shortcut in
 * TimeWindow (same counts and values as pushes that take the full path).
 */
import { describe, expect, it } from 'vitest';
import { ModelSeries } from '../../src/analyzers/model-series.js';
import { OVERFLOW } from '../../src/metrics/cardinality.js';
import { TimeWindow } from '../../src/windows/time-window.js';
import { MISSING_BIN } from '../../src/windows/window.js';

describe('ModelSeries last-model cache', () => {
  it('keeps refreshing the idle clock on repeated hits, and forgets an evicted entry', () => {
    let now = 0;
    let created = 0;
    const series = new ModelSeries(() => ({ id: ++created }), 10, () => now);
    const first = series.get('m', 'v1');
    now = 1000;
    expect(series.get('m', 'v1')).toBe(first);
    // Seen at 1000 by the cached hit: not idle for 500 ms at 1400.
    expect(series.evictIdle(1400, 500)).toBe(0);
    expect(series.evictIdle(2000, 500)).toBe(1);
    const again = series.get('m', 'v1');
    expect(again).not.toBe(first);
    expect(created).toBe(2);
  });

  it('counts every record folded into the overflow series, not only the first', () => {
    const series = new ModelSeries(() => ({}), 1);
    series.get('a', '1');
    series.get('b', '1');
    series.get('b', '1');
    series.get('b', '1');
    expect(series.dropped).toBe(3);
    expect([...series.entries()].map(([k]) => k.model)).toEqual(['a', OVERFLOW]);
  });
});

describe('TimeWindow newest-bucket shortcut', () => {
  it('counts exactly the observations of the live sub-buckets, however pushes arrive', () => {
    const [seconds, subBuckets, maxValues] = [60, 6, 1000];
    const span = seconds / subBuckets;
    const perBucket = Math.ceil(maxValues / subBuckets);
    const w = new TimeWindow(seconds, 4, maxValues, subBuckets);
    const pushed: { epoch: number; bin: number }[] = [];
    let t = 1_700_000_000;
    for (let i = 0; i < 5000; i++) {
      t += (i * 7919) % 13 === 0 ? 3 : 0.01;
      const bin = i % 17 === 0 ? MISSING_BIN : i % 4;
      w.push(t, i, bin);
      pushed.push({ epoch: Math.floor(t / span), bin });
    }
    const newest = Math.floor(t / span);
    const live = pushed.filter((p) => p.epoch > newest - subBuckets);
    const counts = [0, 1, 2, 3].map((b) => live.filter((p) => p.bin === b).length);
    expect(Array.from(w.counts())).toEqual(counts);
    expect(w.missing()).toBe(live.filter((p) => p.bin === MISSING_BIN).length);
    let kept = 0;
    for (let e = newest - subBuckets + 1; e <= newest; e++) kept += Math.min(perBucket, live.filter((p) => p.epoch === e && p.bin !== MISSING_BIN).length);
    expect(w.values().length).toBe(kept);
    // An observation older than the window is ignored.
    w.push(t - 2 * seconds, 1, 0);
    expect(Array.from(w.counts())).toEqual(counts);
  });
});
