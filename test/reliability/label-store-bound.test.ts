/**
 * Late labels that never come: 1M predictions through the label join keep the store at its
 * configured size, every eviction counted, and the heap under the documented bound
 * (~490 B per pending prediction, docs/model-quality.md).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { LabelJoiner } from '../../src/windows/label-join.js';

// A collection before each heap reading, so garbage does not count as retained memory.
setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

describe('label store bound', () => {
  it('holds at most max_entries predictions and counts every eviction', () => {
    const clock = new ManualClock(0);
    const joiner = new LabelJoiner({ clock, maxEntries: 100_000, ttlMs: 3_600_000 });
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 1_000_000; i++) {
      joiner.addPrediction({ requestId: `req-${i.toString(36).padStart(10, '0')}-aaaaaaaaaaaaaaaaaaaaaaaa`, model: 'm', version: 'v', prediction: 1, scores: [0.7], timestamp: i / 1000 });
    }
    const { pendingPredictions, byModel } = joiner.stats();
    expect(pendingPredictions).toBe(100_000);
    expect(byModel[0].expiredPrediction).toBe(900_000);
    gc();
    const perEntry = (process.memoryUsage().heapUsed - before) / pendingPredictions;
    // docs/model-quality.md: about 490 B per pending binary prediction with a 45-character id.
    expect(perEntry).toBeLessThan(600);
  });
});
