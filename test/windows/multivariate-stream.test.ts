/**
 * Multivariate drift through the streaming path: a warm-up reference of Auto MPG rows, then the
 * same weight and displacement values re-paired so the correlation flips. Every feature's own
 * drift stays at zero; the multivariate score fires. Also: its windows survive a restart.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { DriftAnalyzer } from '../../src/analyzers/drift.js';
import { configSchema } from '../../src/config/schema.js';
import { ManualClock } from '../../src/core/clock.js';
import type { ModelRecord } from '../../src/records/model-record.js';

const cars = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'node_modules', 'vega-datasets', 'data', 'cars.json'), 'utf8')) as Record<string, number | string>[];
const weight = cars.map((r) => Number(r.Weight_in_lbs));
const displacement = cars.map((r) => Number(r.Displacement));
const byWeight = [...weight.keys()].sort((a, b) => weight[a] - weight[b]);
const descending = [...displacement].sort((a, b) => b - a);
const flipped = new Array<number>(cars.length);
byWeight.forEach((row, rank) => (flipped[row] = descending[rank]));

const record = (i: number, d: number[]): ModelRecord => ({ timestamp: 1_700_000_000 + i, model: 'm', version: 'v', features: { weight: weight[i % cars.length], displacement: d[i % cars.length], origin: String(cars[i % cars.length].Origin) } });

function analyzer(threshold: 'std' | 'auto' = 'std') {
  const registry = new Registry();
  const config = configSchema.parse({ reference: { warmup_records: cars.length }, drift: { windows: [{ count: cars.length }], min_samples: 50, multivariate: { threshold } } });
  return { registry, a: new DriftAnalyzer({ config, registry, clock: new ManualClock(0), logger: pino({ level: 'silent' }), oneShot: true }) };
}

const lines = async (r: Registry, name: string) => (await r.metrics()).split('\n').filter((l) => l.startsWith(`${name}{`));

describe('multivariate drift in the stream', () => {
  for (const threshold of ['std', 'auto'] as const) {
    it(`fires on a flipped correlation that no univariate method sees (threshold ${threshold})`, async () => {
      const { a, registry } = analyzer(threshold);
      for (let i = 0; i < cars.length; i++) a.onRecord(record(i, displacement));
      for (let i = 0; i < cars.length; i++) a.onRecord(record(i, displacement));
      a.tick(0);
      expect(await lines(registry, 'modelwatch_multivariate_drifted')).toEqual(['modelwatch_multivariate_drifted{model="m",version="v",method="pca_reconstruction",window="last_406"} 0']);
      for (let i = 0; i < cars.length; i++) a.onRecord(record(i, flipped));
      a.tick(0);
      expect(await lines(registry, 'modelwatch_multivariate_drifted')).toEqual(['modelwatch_multivariate_drifted{model="m",version="v",method="pca_reconstruction",window="last_406"} 1']);
      for (const l of await lines(registry, 'modelwatch_feature_drifted')) expect(l.endsWith(' 0'), l).toBe(true);
      const score = Number((await lines(registry, 'modelwatch_multivariate_drift_score'))[0].split(' ')[1]);
      const upper = Number((await lines(registry, 'modelwatch_multivariate_drift_threshold')).find((l) => l.includes('bound="upper"'))!.split(' ')[1]);
      expect(score).toBeGreaterThan(upper);
      expect((await lines(registry, 'modelwatch_multivariate_drift_threshold')).some((l) => l.includes('bound="lower"'))).toBe(threshold === 'std');
    });
  }

  it('restores its windows from a snapshot', async () => {
    const first = analyzer();
    for (let i = 0; i < cars.length; i++) first.a.onRecord(record(i, displacement));
    for (let i = 0; i < 200; i++) first.a.onRecord(record(i, flipped));
    const second = analyzer();
    second.a.restore(JSON.parse(JSON.stringify(first.a.snapshot())));
    first.a.tick(0);
    second.a.tick(0);
    expect(await lines(second.registry, 'modelwatch_multivariate_drift_score')).toEqual(await lines(first.registry, 'modelwatch_multivariate_drift_score'));
  });
});
