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
import { configSchema, formatSchema } from '../../src/config/schema.js';
import { ManualClock } from '../../src/core/clock.js';
import { createRecordMapper } from '../../src/records/mapper.js';
import type { ModelRecord } from '../../src/records/model-record.js';
import { RecordStream } from '../../src/records/record-stream.js';
import { SourceStatsTable } from '../../src/records/source-stats.js';
import { Mulberry32 } from '../../src/stats/random.js';
import type { TimeWindow } from '../../src/windows/time-window.js';

const T0 = 1_715_688_000;

/**
 * Three model versions interleaved; numbers, 1e999, numeric strings, text, null, booleans, '' and
 * missing features (d null in the first records, so its type is learned later, mid-run); new
 * categories; failed requests; times that go back a little and jumps past the 10-minute window's
 * sub-buckets; now and then an unexpected feature, and the keys in another order (an object row).
 */
function logLines(n: number): string[] {
  const rnd = new Mulberry32(17);
  const pick = <T>(xs: readonly T[]): T => xs[rnd.below(xs.length)];
  const lines: string[] = [];
  let t = T0;
  for (let i = 0; i < n; i++) {
    t += rnd.next() < 0.002 ? 400 : rnd.next() * 0.5;
    const time = rnd.next() < 0.05 ? t - 30 : t;
    const f: Record<string, unknown> = {
      a: Math.round(rnd.next() * 10_000) / 1000,
      b: pick([1, 2, 3, '4', '2.5', 'x', null, true, '', 1e300, -0, 'NaN']),
      c: pick(['red', 'green', 'blue', 'green', 7, false, null, '', `new${i % 5}`]),
      d: i < 40 ? null : rnd.next() < 0.05 ? undefined : rnd.next() * 100 - 20,
    };
    const [model, version] = pick([
      ['m', 'v1'],
      ['m', 'v2'],
      ['n', 'v1'],
    ]);
    const status = rnd.next() < 0.04 ? 500 : 200;
    const id = rnd.next() < 0.03 ? `r${i - 3}` : `r${i}`;
    let text = JSON.stringify({ timestamp: time, request_id: id, model, model_version: version, features: f, prediction: rnd.next(), status });
    if (rnd.next() < 0.01) text = text.replace('"a":', '"a":1e999,"a2":');
    if (rnd.next() < 0.02) text = JSON.stringify({ features: { d: 1, c: 'red', a: 2, e: 'x' }, timestamp: time, model, model_version: version });
    lines.push(text);
  }
  return lines;
}

const withoutWallClock = (state: unknown) => JSON.stringify(state, (key, value: unknown) => (key === 'created_at' ? undefined : value));
/** Every metric but the ticks' durations (wall time). */
const metrics = async (registry: Registry) => (await registry.metrics()).split('\n').filter((l) => !l.startsWith('modelwatch_analyzer_tick_duration_seconds{')).join('\n');

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
          features: [
            { name: 'a', type: 'numeric' },
            { name: 'b', type: 'numeric' },
            { name: 'c', type: 'categorical' },
            { name: 'd', type: 'numeric' },
          ],
        }
      : {}),
  });
  const clock = new ManualClock((T0 + 10_000) * 1000);
  const registry = new Registry();
  let quality: DataQualityAnalyzer | undefined;
  const create = (ctx: AnalyzerContext) => (quality = new DataQualityAnalyzer(ctx, { stagedRecords: staged }));
  const factories = ANALYZERS.map((f): AnalyzerFactory => (f === dataQualityAnalyzer ? { ...dataQualityAnalyzer, create } : f));
  const set = new AnalyzerSet(factories, { config, registry, clock, logger: pino({ level: 'silent' }), oneShot: true });
  const stream = new RecordStream(createRecordMapper(formatSchema.parse({}), { defaults: { model: 'm', version: 'v' }, pairing: { ttl: 60, max_pending: 100 }, clock }), 'records', { borrowsRecords: true, record: (r: ModelRecord) => set.record(r), label: (l) => set.label(l) }, new SourceStatsTable());
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    stream.line(lines[i], 'log');
    const read = reads.get(i);
    // Called on the analyzer itself: the set's end-of-burst flush would run first at an await.
    if (read === 'tick') {
      await quality!.tick(clock.now());
      out.push(await metrics(registry));
    } else if (read === 'snapshot') out.push(withoutWallClock(set.snapshot()));
  }
  out.push(withoutWallClock(set.snapshot()));
  await set.tick(clock.now());
  out.push(await metrics(registry));
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
