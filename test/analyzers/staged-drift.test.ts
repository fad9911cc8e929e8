/**
 * Drift stages records and its windows take them a run at a time (analyzers/staged-records.ts):
 * every analyzer's state must be what one record at a time gives, whatever the run's length and
 * wherever something reads the windows mid-run (a tick, a snapshot, /metrics, a restore).
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { AnalyzerSet } from '../../src/analyzers/analyzer-set.js';
import type { AnalyzerFactory } from '../../src/analyzers/analyzer.js';
import { DriftAnalyzer, driftAnalyzer } from '../../src/analyzers/drift.js';
import { ANALYZERS } from '../../src/analyzers/index.js';
import { configSchema } from '../../src/config/schema.js';
import { ManualClock } from '../../src/core/clock.js';
import type { ModelRecord } from '../../src/records/model-record.js';
import { Mulberry32 } from '../../src/stats/random.js';
import { T0, metricsWithoutTickDurations, mixedLog, streamLines, withoutWallClock, TYPED_FEATURES } from './staging-harness.js';

/**
 * Each model version past its warm-up of 300 records; numbers, 1e999, numeric strings, text, null,
 * booleans, missing features; failed requests (data quality checks their features, drift does not);
 * the second half shifted (drift).
 */
const logLines = (n: number) =>
  mixedLog(n, {
    seed: 11,
    features: (i, rnd, pick) => {
      const shift = i > n / 2 ? 2 : 0;
      return {
        a: Math.round((rnd.next() * 10 + shift) * 1000) / 1000,
        b: pick([1, 2, 3, '4', '2.5', 'x', null, true, '', 1e300, -0]),
        c: pick(['red', 'green', 'blue', 'green', 7, false, null, '', `new${i % 5}`]),
        d: rnd.next() < 0.05 ? undefined : rnd.next() * 100 - shift * 20,
      };
    },
    objectRow: { d: 1, c: 'red', a: 2 },
  });

interface Run {
  /** Snapshots taken mid-run, then the final one. */
  states: string[];
  text: string;
}

/** The lines through a record stream (lent records) into every analyzer, drift staging `staged` records. */
async function analyzed(lines: readonly string[], staged: number, reads: ReadonlyMap<number, 'tick' | 'snapshot'>): Promise<Run> {
  const config = configSchema.parse({
    reference: { warmup_records: 300 },
    drift: { windows: [{ count: 500 }, { duration: '10m' }, { count: 64 }], min_samples: 30 },
    features: TYPED_FEATURES,
  });
  const clock = new ManualClock((T0 + 10_000) * 1000);
  const registry = new Registry();
  let drift: DriftAnalyzer | undefined;
  const stagedDrift: AnalyzerFactory = { ...driftAnalyzer, create: (ctx) => (drift = new DriftAnalyzer(ctx, { stagedRecords: staged })) };
  const factories = ANALYZERS.map((f) => (f === driftAnalyzer ? stagedDrift : f));
  const set = new AnalyzerSet(factories, { config, registry, clock, logger: pino({ level: 'silent' }), oneShot: true });
  const states: string[] = [];
  await streamLines(set, clock, lines, (i) => {
    const read = reads.get(i);
    // Called on the analyzer itself: the set's end-of-burst flush would run first at an await.
    if (read === 'tick') return drift!.tick(clock.now());
    if (read === 'snapshot') states.push(withoutWallClock(set.snapshot()));
    return undefined;
  });
  states.push(withoutWallClock(set.snapshot()));
  await set.tick(clock.now());
  return { states, text: await metricsWithoutTickDurations(registry) };
}

describe('drift staging records for its windows', () => {
  const lines = logLines(4000);
  // Reads mid-run at odd points: in a run, at a run's end, just past a warm-up.
  const reads = new Map<number, 'tick' | 'snapshot'>([
    [310, 'snapshot'],
    [911, 'tick'],
    [1024, 'snapshot'],
    [1500, 'tick'],
    [2047, 'snapshot'],
    [2999, 'tick'],
    [3333, 'snapshot'],
  ]);

  it('leaves every window, checkpoint and metric as one record at a time does', async () => {
    const one = await analyzed(lines, 1, reads);
    // Not vacuous: drift's windows of every model version hold records.
    const final = JSON.parse(one.states.at(-1)!) as { drift: { models: { model: string; version: string; features: Record<string, unknown> }[] } };
    expect(final.drift.models.map((m) => `${m.model}/${m.version}`).sort()).toEqual(['m/v1', 'm/v2', 'n/v1']);
    expect(Object.keys(final.drift.models[0].features).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(one.text).toMatch(/modelwatch_feature_drift_score\{[^}]*model="n"[^}]*feature="c"/);
    for (const staged of [256, 7]) {
      const run = await analyzed(lines, staged, reads);
      expect(run.states).toEqual(one.states);
      expect(run.text).toBe(one.text);
    }
  });

  it('applies what it staged before /metrics reads the bin totals and before a restore', async () => {
    const config = configSchema.parse({ reference: { warmup_records: 50 }, drift: { windows: [{ count: 100 }, { duration: '1h' }] } });
    const make = (staged: number) => {
      const registry = new Registry();
      const a = new DriftAnalyzer({ config, registry, clock: new ManualClock(0), logger: pino({ level: 'silent' }), oneShot: true }, { stagedRecords: staged });
      return { a, registry };
    };
    const rnd = new Mulberry32(3);
    const records: ModelRecord[] = Array.from({ length: 130 }, (_, i) => ({ timestamp: T0 + i, model: 'm', version: 'v', features: { x: rnd.next() * 10, k: ['p', 'q'][rnd.below(2)] } }));
    const binTotals = async (r: Registry) => (await r.metrics()).split('\n').filter((l) => l.startsWith('modelwatch_feature_bin_total'));
    const [one, staged] = [make(1), make(256)];
    for (const r of records) {
      one.a.onRecord(r);
      staged.a.onRecord(r);
    }
    const expected = await binTotals(one.registry);
    // The 80 records past the warm-up of 50, all still staged in the run of 256.
    expect(expected.filter((l) => l.includes('feature="k"')).reduce((n, l) => n + Number(l.split(' ').at(-1)), 0)).toBe(80);
    expect(await binTotals(staged.registry)).toEqual(expected);
    // A restore replaces the windows: the records staged before it went into the replaced ones.
    const saved = JSON.parse(JSON.stringify(one.a.snapshot())) as unknown;
    staged.a.onRecord(records[0]);
    staged.a.restore(saved);
    expect(withoutWallClock(staged.a.snapshot())).toBe(withoutWallClock(one.a.snapshot()));
  });

  it('applies staged records at the end of a burst of deliveries (a source\'s read), with nothing to read them', async () => {
    const config = configSchema.parse({ reference: { warmup_records: 20 }, drift: { windows: [{ count: 100 }] }, quality: { enabled: false } });
    let drift: DriftAnalyzer | undefined;
    const factories = ANALYZERS.map((f) => (f === driftAnalyzer ? { ...driftAnalyzer, create: (ctx: Parameters<AnalyzerFactory['create']>[0]) => (drift = new DriftAnalyzer(ctx)) } : f));
    const set = new AnalyzerSet(factories, { config, registry: new Registry(), clock: new ManualClock(T0 * 1000), logger: pino({ level: 'silent' }), oneShot: true });
    for (let i = 0; i < 50; i++) set.record({ timestamp: T0 + i, model: 'm', version: 'v', features: { x: i } });
    const window = () => drift!.series.get('m', 'v').features.get('x')!.windows[0];
    // Staged: the 30 records past the warm-up wait for the end of the burst.
    expect(window().size()).toBe(0);
    await Promise.resolve();
    expect(window().size()).toBe(30);
  });
});
