/**
 * Drift windows survive a restart: an analyzer restored from another's snapshot (through JSON, as
 * the checkpoint stores it) computes exactly the same drift, for count and time windows, new
 * categories and a warm-up reference.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { DriftAnalyzer } from '../../src/analyzers/drift.js';
import { configSchema } from '../../src/config/schema.js';
import { ManualClock } from '../../src/core/clock.js';
import type { ModelRecord } from '../../src/records/model-record.js';
import { mulberry32 } from '../../src/stats/random.js';

function analyzer() {
  const registry = new Registry();
  const config = configSchema.parse({
    reference: { warmup_records: 300 },
    drift: { windows: [{ count: 400 }, { duration: '10m' }], min_samples: 20 },
  });
  const a = new DriftAnalyzer({ config, registry, clock: new ManualClock(0), logger: pino({ level: 'silent' }), oneShot: true });
  return { a, registry };
}

function records(n: number, seed: number, from: number): ModelRecord[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => {
    const t = from + i;
    const late = t > 600;
    return {
      timestamp: 1_700_000_000 + t,
      model: 'm',
      version: 'v',
      features: { x: rand() * 10 + (late ? 3 : 0), color: late && rand() < 0.3 ? `new${i % 4}` : ['a', 'b', 'c'][Math.floor(rand() * 3)], gap: rand() < 0.1 ? null : rand() },
      prediction: rand(),
    };
  });
}

const driftLines = async (r: Registry) => (await r.metrics()).split('\n').filter((l) => /^modelwatch_(feature_drift|prediction_drift|feature_window_samples|dataset_drift)/.test(l));

describe('drift state across a restart', () => {
  it('restores windows, new categories and the warm-up reference exactly', async () => {
    const first = records(700, 1, 0);
    const second = records(300, 2, 700);
    const uninterrupted = analyzer();
    for (const r of [...first, ...second]) uninterrupted.a.onRecord(r);
    uninterrupted.a.tick(0);

    const before = analyzer();
    for (const r of first) before.a.onRecord(r);
    const saved = JSON.parse(JSON.stringify(before.a.snapshot()));
    const after = analyzer();
    after.a.restore(saved);
    for (const r of second) after.a.onRecord(r);
    after.a.tick(0);

    const expected = await driftLines(uninterrupted.registry);
    expect(expected.some((l) => l.includes('feature="color"') && l.includes('window="10m"'))).toBe(true);
    expect(await driftLines(after.registry)).toEqual(expected);
  });

  it('restores a warm-up still in progress', async () => {
    const all = records(500, 3, 0);
    const uninterrupted = analyzer();
    for (const r of all) uninterrupted.a.onRecord(r);
    uninterrupted.a.tick(0);
    const before = analyzer();
    for (const r of all.slice(0, 150)) before.a.onRecord(r);
    const after = analyzer();
    after.a.restore(JSON.parse(JSON.stringify(before.a.snapshot())));
    for (const r of all.slice(150)) after.a.onRecord(r);
    after.a.tick(0);
    expect(await driftLines(after.registry)).toEqual(await driftLines(uninterrupted.registry));
  });

  it('leaves a window empty when the saved shape no longer fits (config changed)', async () => {
    const before = analyzer();
    for (const r of records(700, 1, 0)) before.a.onRecord(r);
    const saved = JSON.parse(JSON.stringify(before.a.snapshot()));
    const registry = new Registry();
    const config = configSchema.parse({ reference: { warmup_records: 300 }, drift: { windows: [{ name: 'last_400', count: 50 }], min_samples: 20 } });
    const changed = new DriftAnalyzer({ config, registry, clock: new ManualClock(0), logger: pino({ level: 'silent' }), oneShot: true });
    changed.restore(saved);
    changed.tick(0);
    expect((await registry.metrics())).toContain('modelwatch_feature_window_samples{model="m",version="v",feature="x",window="last_400"} 0');
  });

  it('a warm-up snapshot is a copy: records after the capture do not leak into it (the checkpoint serialises later)', () => {
    const { a } = analyzer();
    for (const r of records(100, 3, 0)) a.onRecord(r);
    const saved = a.snapshot();
    for (const r of records(50, 4, 100)) a.onRecord(r);
    const warmup = (JSON.parse(JSON.stringify(saved)) as { models: { warmup: { count: number; rows: Record<string, unknown[]> } }[] }).models[0].warmup;
    expect(warmup.count).toBe(100);
    for (const [name, col] of Object.entries(warmup.rows)) expect(col.length, name).toBe(100);
  });
});
