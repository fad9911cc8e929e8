/**
 * Data quality stages the values of its value time windows and pushes them a run at a time
 * (quality/feature-checks.ts, FeatureChecks.flush): every analyzer's state, checkpoint and metric
 * must be what one record at a time gives, whatever the run's length and wherever something reads
 * mid-run (its tick, a snapshot, a restore), with types learned from the stream (value windows
 * made in the middle of a run) or configured.
 */
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { AnalyzerSet } from '../../src/analyzers/analyzer-set.js';
import type { AnalyzerContext, AnalyzerFactory } from '../../src/analyzers/analyzer.js';
import { DataQualityAnalyzer, dataQualityAnalyzer } from '../../src/analyzers/data-quality.js';
import { ANALYZERS } from '../../src/analyzers/index.js';
import { configSchema } from '../../src/config/schema.js';
import { ManualClock } from '../../src/core/clock.js';
import type { ModelRecord } from '../../src/records/model-record.js';
import { Mulberry32 } from '../../src/stats/random.js';
import { T0, metricsWithoutTickDurations, mixedLog, streamLines, withoutWallClock, TYPED_FEATURES } from './staging-harness.js';
import type { TimeWindow } from '../../src/windows/time-window.js';

/**
 * Numbers, 1e999, numeric strings, 'NaN', text, null, booleans, '' and missing features (d null in
 * the first records, so its type is learned later, mid-run); new categories; repeated request ids;
 * now and then an unexpected feature in the object row.
 */
const logLines = (n: number) =>
  mixedLog(n, {
    seed: 17,
    features: (i, rnd, pick) => ({
      a: Math.round(rnd.next() * 10_000) / 1000,
      b: pick([1, 2, 3, '4', '2.5', 'x', null, true, '', 1e300, -0, 'NaN']),
      c: pick(['red', 'green', 'blue', 'green', 7, false, null, '', `new${i % 5}`]),
      d: i < 40 ? null : rnd.next() < 0.05 ? undefined : rnd.next() * 100 - 20,
    }),
    requestId: (i, rnd) => (rnd.next() < 0.03 ? `r${i - 3}` : `r${i}`),
    objectRow: { d: 1, c: 'red', a: 2, e: 'x' },
  });

interface Run {
  /** Snapshots and metrics taken mid-run, then the final ones. */
  reads: string[];
}

/** The lines through a record stream (lent records) into every analyzer, data quality staging `staged` records. */
async function analyzed(lines: readonly string[], staged: number, reads: ReadonlyMap<number, 'tick' | 'snapshot'>, typed: boolean): Promise<Run> {
  const config = configSchema.parse({
    reference: { warmup_records: 300 },
    // A time window first: the tick reads it before its first pause (where the set's end-of-burst flush would run).
    drift: { windows: [{ duration: '10m' }, { count: 500 }, { count: 64 }, { duration: '1h' }], min_samples: 30 },
    quality: { segments: { fields: ['c'] } },
    ...(typed
      ? {
          features: TYPED_FEATURES,
        }
      : {}),
  });
  const clock = new ManualClock((T0 + 10_000) * 1000);
  const registry = new Registry();
  let quality: DataQualityAnalyzer | undefined;
  const create = (ctx: AnalyzerContext) => (quality = new DataQualityAnalyzer(ctx, { stagedRecords: staged }));
  const factories = ANALYZERS.map((f): AnalyzerFactory => (f === dataQualityAnalyzer ? { ...dataQualityAnalyzer, create } : f));
  const set = new AnalyzerSet(factories, { config, registry, clock, logger: pino({ level: 'silent' }), oneShot: true });
  const out: string[] = [];
  await streamLines(set, clock, lines, (i) => {
    const read = reads.get(i);
    // Called on the analyzer itself: the set's end-of-burst flush would run first at an await.
    if (read === 'tick') return quality!.tick(clock.now()).then(async () => void out.push(await metricsWithoutTickDurations(registry)));
    if (read === 'snapshot') out.push(withoutWallClock(set.snapshot()));
    return undefined;
  });
  out.push(withoutWallClock(set.snapshot()));
  await set.tick(clock.now());
  out.push(await metricsWithoutTickDurations(registry));
  return { reads: out };
}

describe('data quality staging values for its time windows', () => {
  const lines = logLines(3000);
  // Reads mid-run at odd points: in a run, at a run's end, just past the value windows' start.
  const reads = new Map<number, 'tick' | 'snapshot'>([
    [45, 'snapshot'],
    [300, 'tick'],
    [767, 'snapshot'],
    [1024, 'tick'],
    [1500, 'snapshot'],
    [2047, 'tick'],
    [2500, 'snapshot'],
  ]);

  for (const typed of [true, false]) {
    it(`leaves every window, checkpoint and metric as one record at a time does (${typed ? 'configured' : 'learned'} types)`, async () => {
      const one = await analyzed(lines, 1, reads, typed);
      // Not vacuous: summaries of every numeric feature in the time windows, issues of each kind.
      const text = one.reads.at(-1)!;
      for (const feature of typed ? ['a', 'b', 'd'] : ['a', 'd']) expect(text).toMatch(new RegExp(`modelwatch_feature_value\\{[^}]*model="n"[^}]*feature="${feature}"[^}]*window="10m"`));
      for (const issue of ['missing', 'type_mismatch', 'non_finite', 'unexpected_feature', 'duplicate_request_id', 'schema_change']) expect(text).toContain(`issue="${issue}"`);
      for (const staged of [256, 7]) {
        const run = await analyzed(lines, staged, reads, typed);
        expect(run.reads).toEqual(one.reads);
      }
    });
  }

  it('applies what it staged before a restore, and at the end of a burst of deliveries', async () => {
    const config = configSchema.parse({ drift: { enabled: false }, quality: { windows: [{ duration: '1h' }] } });
    const make = (staged: number) => new DataQualityAnalyzer({ config, registry: new Registry(), clock: new ManualClock(0), logger: pino({ level: 'silent' }), oneShot: true }, { stagedRecords: staged });
    const rnd = new Mulberry32(5);
    const records: ModelRecord[] = Array.from({ length: 130 }, (_, i) => ({ timestamp: T0 + i, model: 'm', version: 'v', features: { x: rnd.next() * 10, k: ['p', 'q'][rnd.below(2)] } }));
    const [one, staged] = [make(1), make(256)];
    for (const r of records) {
      one.onRecord(r);
      staged.onRecord(r);
    }
    // A restore replaces the windows: the records staged before it went into the replaced ones.
    const saved = JSON.parse(JSON.stringify(one.snapshot())) as unknown;
    staged.onRecord(records[0]);
    staged.restore(saved);
    expect(withoutWallClock(staged.snapshot())).toBe(withoutWallClock(one.snapshot()));

    let quality: DataQualityAnalyzer | undefined;
    const factories = ANALYZERS.map((f): AnalyzerFactory => (f === dataQualityAnalyzer ? { ...dataQualityAnalyzer, create: (ctx) => (quality = new DataQualityAnalyzer(ctx)) } : f));
    const set = new AnalyzerSet(factories, { config, registry: new Registry(), clock: new ManualClock(T0 * 1000), logger: pino({ level: 'silent' }), oneShot: true });
    for (let i = 0; i < 50; i++) set.record({ timestamp: T0 + i, model: 'm', version: 'v', features: { x: i } });
    const window = () => quality!.series.get('m', 'v').checks!.values[0]![0] as TimeWindow;
    // Staged: the 50 values wait for the end of the burst (size() reads the window without applying them).
    expect(window().size()).toBe(0);
    await Promise.resolve();
    expect(window().size()).toBe(50);
  });
});
