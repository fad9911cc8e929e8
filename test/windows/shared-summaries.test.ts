/**
 * One sort for drift's count window and data quality's value window of a feature
 * (windows/shared-summaries.ts): the two rings' difference is exact, and data quality's summaries
 * are bit for bit those it makes by sorting its own window, whether made from drift's sort or not.
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

/** A multiset of values by their bits (−0 apart from +0). */
function bag(values: Iterable<number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const v of values) {
    const key = Object.is(v, -0) ? '-0' : String(v);
    out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

function fill(pushes: (number | null)[], drift: CountWindow, quality: CountValues): void {
  for (const v of pushes) drift.push(0, v ?? 0, v === null ? MISSING_BIN : 0);
  for (const v of pushes) quality.push(0, v ?? 0, v === null ? MISSING_BIN : 0);
}

describe('CountWindow.diffValues (a ring of values against drift\'s count window)', () => {
  it('gives values added and dropped such that the ring holds drift\'s values − dropped + added, bit for bit', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 12 }),
        fc.array(pushed, { maxLength: 40 }),
        fc.array(pushed, { maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(40), pushed), { maxLength: 6 }),
        (capacity, shared, onlyDrift, inserted) => {
          const drift = new CountWindow(capacity, 1);
          const quality = new CountValues(capacity);
          // Drift's own older pushes first, then the shared ones, among which data quality has a few more (failed requests).
          const driftPushes = [...onlyDrift, ...shared];
          const qualityPushes = [...shared];
          for (const [at, v] of inserted) qualityPushes.splice(at % (qualityPushes.length + 1), 0, v);
          for (const v of driftPushes) drift.push(0, v ?? 0, v === null ? MISSING_BIN : 0);
          for (const v of qualityPushes) quality.push(0, v ?? 0, v === null ? MISSING_BIN : 0);
          const added = new Float64Array(64);
          const dropped = new Float64Array(64);
          const counts = new Int32Array(2);
          expect(quality.diffFrom(drift, added, dropped, counts)).toBe(true);
          const held = (pushes: (number | null)[]) => pushes.slice(-capacity).filter((v): v is number => v !== null);
          const expected = bag(held(qualityPushes));
          const derived = bag(held(driftPushes));
          for (const v of dropped.subarray(0, counts[1])) {
            const key = Object.is(v, -0) ? '-0' : String(v);
            expect(derived.get(key)).toBeGreaterThan(0);
            derived.set(key, derived.get(key)! - 1);
            if (derived.get(key) === 0) derived.delete(key);
          }
          for (const [key, n] of bag(added.subarray(0, counts[0]))) derived.set(key, (derived.get(key) ?? 0) + n);
          expect(derived).toEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('finds nothing to add or drop for the same values, −0 apart from +0, and says false past its arrays', () => {
    const drift = new CountWindow(4, 1);
    const quality = new CountValues(4);
    fill([1, null, -0, 2, 3], drift, quality);
    const counts = new Int32Array(2);
    const room = () => new Float64Array(1);
    expect(quality.diffFrom(drift, room(), room(), counts)).toBe(true);
    expect([...counts]).toEqual([0, 0]);
    // +0 where drift has −0: one added, one dropped.
    const a = new CountWindow(2, 1);
    const b = new CountValues(2);
    a.push(0, -0, 0);
    b.push(0, 0, 0);
    const added = new Float64Array(1);
    const dropped = new Float64Array(1);
    expect(b.diffFrom(a, added, dropped, counts)).toBe(true);
    expect([...counts]).toEqual([1, 1]);
    expect(Object.is(added[0], 0) && Object.is(dropped[0], -0)).toBe(true);
    // Two differences with room for one: false.
    const c = new CountWindow(3, 1);
    const d = new CountValues(3);
    fill([1, 2, 3], c, d);
    d.push(0, 7, 0);
    d.push(0, 8, 0);
    expect(d.diffFrom(c, new Float64Array(1), new Float64Array(4), counts)).toBe(false);
    expect(d.diffFrom(c, new Float64Array(2), new Float64Array(1), counts)).toBe(false);
    expect(d.diffFrom(c, new Float64Array(2), new Float64Array(2), counts)).toBe(true);
    expect([...counts]).toEqual([2, 2]);
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
    override offer(): void {}
  }

  it('are bit for bit what it computes alone, and made from drift\'s sort wherever the rings\' difference is small', async () => {
    const shared = new SharedSummaries();
    const taken = vi.spyOn(shared, 'summaryOf');
    const a = analyzers(shared);
    const b = analyzers(new NotShared());
    let t = 1000;
    let sharedHits = 0;
    for (let round = 0; round < 12; round++) {
      for (let i = 0; i < 25; i++) {
        const k = round * 25 + i;
        // Ties, ±0, a missing y now and then, and failed requests (drift leaves them out: its window reaches further back).
        const features = { x: k % 3 === 0 ? [0, -0, 1.5, -0][k % 4] : (k % 7) * 0.1, y: k % 9 === 0 ? null : Math.sin(k) * 1e3 };
        const failed = k % 13 === 0 || (round === 5 && i < 10);
        const r: ModelRecord = { timestamp: t++, model: 'm', version: 'v', features, status: failed ? 500 : 200 };
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
    // Past the warm-up, both features' count windows at most ticks (the first registers them).
    expect(sharedHits).toBeGreaterThan(12);
  });

  it('keep two models\' versions with the same feature names apart, one of them silent for a while', async () => {
    const shared = new SharedSummaries();
    const a = analyzers(shared);
    let t = 1000;
    const keys = [
      ['m', 'v1'],
      ['m', 'v2'],
      ['other', 'v1'],
    ] as const;
    for (let round = 0; round < 10; round++) {
      for (let i = 0; i < 40; i++) {
        const k = round * 40 + i;
        const [model, version] = keys[k % 3];
        // v2 stops sending for rounds 4–6: its windows stay as they were while the others move.
        if (version === 'v2' && round >= 4 && round <= 6) continue;
        const scale = model === 'other' ? -1e6 : version === 'v2' ? 1e3 : 1;
        const features = { x: (k % 11) * scale, y: k % 5 === 0 ? null : Math.cos(k) * scale };
        a.set.record({ timestamp: t++, model, version, features, status: k % 17 === 0 ? 500 : 200 });
      }
      await a.set.tick(t * 1000);
      for (const [model, version] of keys) {
        const m = a.quality.series.get(model, version);
        const windows = m.checks?.values ?? [];
        for (let slot = 0; slot < windows.length; slot++) {
          const ws = windows[slot];
          if (ws === undefined || ws[0].values().length === 0) continue;
          // Each version's summary is a sort of its own window's values, never another's.
          expect(m.summaries[0].get(slot)).toEqual(summarizeValues(ws[0].values()));
        }
      }
    }
  });
});
