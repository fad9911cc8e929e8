/**
 * One sort for drift's count window and data quality's value window of a feature
 * (windows/shared-summaries.ts): the two rings are compared value by value, and data quality's
 * summaries are bit for bit those it makes by sorting its own window, whether it took drift's or not.
 */
import fc from 'fast-check';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it, vi } from 'vitest';
import { AnalyzerSet } from '../../src/analyzers/analyzer-set.js';
import { dataQualityAnalyzer, type DataQualityAnalyzer } from '../../src/analyzers/data-quality.js';
import { driftAnalyzer } from '../../src/analyzers/drift.js';
import { ManualClock } from '../../src/core/clock.js';
import { configSchema } from '../../src/config/schema.js';
import type { ModelRecord } from '../../src/records/model-record.js';
import { summarizeValues } from '../../src/stats/value-summary.js';
import { CountValues } from '../../src/windows/count-values.js';
import { CountWindow } from '../../src/windows/count-window.js';
import { SharedSummaries } from '../../src/windows/shared-summaries.js';
import { MISSING_BIN } from '../../src/windows/window.js';

/** A pushed value: a number, or missing. */
const pushed = fc.oneof(fc.constantFrom(0, -0, 1, -1, 2.5), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null));

function bitsEqual(a: readonly (number | null)[], b: readonly (number | null)[]): boolean {
  return a.length === b.length && a.every((x, i) => Object.is(x, b[i]));
}

describe('CountWindow.sameValues (a ring of values against drift\'s count window)', () => {
  it('is true exactly when the last N pushes hold the same values, in order and bit for bit, the missing ones left out', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(pushed, { maxLength: 40 }),
        fc.array(pushed, { maxLength: 40 }),
        fc.array(pushed, { maxLength: 40 }),
        (capacity, shared, onlyDrift, onlyQuality) => {
          const drift = new CountWindow(capacity, 1);
          const quality = new CountValues(capacity);
          // Pushes of its own first, then (often) the same ones: the rings' heads differ.
          const driftPushes = [...onlyDrift, ...shared];
          const qualityPushes = [...onlyQuality, ...shared];
          for (const v of driftPushes) drift.push(0, v ?? 0, v === null ? MISSING_BIN : 0);
          for (const v of qualityPushes) quality.push(0, v ?? 0, v === null ? MISSING_BIN : 0);
          const held = (pushes: (number | null)[]) => pushes.slice(-capacity).filter((v) => v !== null);
          expect(quality.sameValuesAs(drift)).toBe(bitsEqual(held(driftPushes), held(qualityPushes)));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('tells −0 from +0, and a window holding one more value', () => {
    const drift = new CountWindow(3, 1);
    const quality = new CountValues(3);
    drift.push(0, -0, 0);
    quality.push(0, 0, 0);
    expect(quality.sameValuesAs(drift)).toBe(false);
    const a = new CountWindow(3, 1);
    const b = new CountValues(3);
    for (const v of [1, 2]) a.push(0, v, 0);
    for (const v of [5, 1, 2]) b.push(0, v, 0);
    expect(b.sameValuesAs(a)).toBe(false);
    // One more each: b's oldest (5) leaves.
    a.push(0, 3, 0);
    b.push(0, 3, 0);
    expect(b.sameValuesAs(a)).toBe(true);
    a.push(0, 0, MISSING_BIN);
    b.push(0, 9, 0);
    expect(b.sameValuesAs(a)).toBe(false);
    // The same values with their missing ones elsewhere: the same values to sort.
    const c = new CountWindow(4, 1);
    const d = new CountValues(4);
    c.push(0, 1, 0);
    c.push(0, 0, MISSING_BIN);
    c.push(0, 2, 0);
    d.push(0, 0, MISSING_BIN);
    d.push(0, 1, 0);
    d.push(0, 2, 0);
    expect(d.sameValuesAs(c)).toBe(true);
  });
});

describe('data quality\'s value summaries with drift\'s sorts shared', () => {
  const config = configSchema.parse({
    features: [
      { name: 'x', type: 'numeric' },
      { name: 'y', type: 'numeric' },
    ],
    reference: { warmup_records: 30 },
    drift: { windows: [{ count: 40 }, { duration: 60 }], min_samples: 5 },
    resources: { enabled: false },
  });

  function analyzers(summaries: SharedSummaries) {
    const set = new AnalyzerSet([driftAnalyzer, dataQualityAnalyzer], { config, registry: new Registry(), clock: new ManualClock(), logger: pino({ level: 'silent' }), summaries });
    return { set, quality: (set as unknown as { running: { analyzer: unknown }[] }).running[1].analyzer as DataQualityAnalyzer };
  }

  /** Never offered anything: data quality sorts every window itself. */
  class NotShared extends SharedSummaries {
    override wants(): boolean {
      return false;
    }
  }

  it('are bit for bit what it computes alone, and taken from drift where the windows hold the same values', async () => {
    const shared = new SharedSummaries();
    const taken = vi.spyOn(shared, 'summaryOf');
    const a = analyzers(shared);
    const b = analyzers(new NotShared());
    let t = 1000;
    let sharedHits = 0;
    for (let round = 0; round < 12; round++) {
      for (let i = 0; i < 25; i++) {
        const k = round * 25 + i;
        // Ties, ±0, a missing y now and then, and failed requests (drift leaves them out: the windows then differ).
        const features = { x: [0, -0, 1.5, -2.25][k % 4] + (k % 7) * 0.1, y: k % 9 === 0 ? null : Math.sin(k) * 1e3 };
        const r: ModelRecord = { timestamp: t++, model: 'm', version: 'v', features, status: round === 5 && i < 3 ? 500 : 200 };
        a.set.record({ ...r });
        b.set.record({ ...r });
      }
      await a.set.tick(t * 1000);
      await b.set.tick(t * 1000);
      sharedHits += taken.mock.results.filter((r) => r.value !== null).length;
      taken.mockClear();
      const ma = a.quality.series.get('m', 'v');
      const mb = b.quality.series.get('m', 'v');
      for (let w = 0; w < 2; w++) {
        expect(ma.summaries[w].size).toBe(mb.summaries[w].size);
        for (const [slot, stats] of mb.summaries[w]) expect(new Uint32Array(ma.summaries[w].get(slot)!.buffer)).toEqual(new Uint32Array(stats.buffer));
      }
      // And both what a sort of the window's own values gives.
      const windows = ma.checks!.values;
      for (let slot = 0; slot < windows.length; slot++) {
        const ws = windows[slot];
        if (ws === undefined) continue;
        const own = summarizeValues(ws[0].values());
        expect(ma.summaries[0].get(slot)).toEqual(own);
      }
    }
    // Past the warm-up and a full window, outside the failed requests' 40 records: drift's sorts were taken.
    expect(sharedHits).toBeGreaterThan(6);
  });
});
