/**
 * Late labels that never come: 1M predictions through the label join keep the store at its
 * configured size, every eviction counted, and the heap under the documented bound
 * (~200 B per pending prediction, docs/model-quality.md).
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/windows/clock.js';
import { LabelJoiner } from '../../src/windows/label-join.js';

describe('label store bound', () => {
  it('holds at most max_entries predictions and counts every eviction', () => {
    const clock = new ManualClock(0);
    const joiner = new LabelJoiner({ clock, maxEntries: 100_000, ttlMs: 3_600_000 });
    global.gc?.();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 1_000_000; i++) {
      joiner.addPrediction({ requestId: `req-${i.toString(36).padStart(10, '0')}-aaaaaaaaaaaaaaaaaaaaaaaa`, model: 'm', version: 'v', prediction: 1, scores: [0.7], timestamp: i / 1000 });
    }
    const { pendingPredictions, byModel } = joiner.stats();
    expect(pendingPredictions).toBe(100_000);
    expect(byModel[0].expiredPrediction).toBe(900_000);
    const grown = process.memoryUsage().heapUsed - before;
    // 100k entries at ~200 B each is ~20 MB; allow garbage not yet collected, but not 1M entries' worth.
    expect(grown).toBeLessThan(100 * 1024 * 1024);
  });
});
