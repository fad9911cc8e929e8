import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { AnalyzerSet } from '../../src/analyzers/analyzer-set.js';
import { ANALYZERS } from '../../src/analyzers/index.js';
import { configSchema, formatSchema } from '../../src/config/schema.js';
import { ManualClock } from '../../src/core/clock.js';
import { createRecordMapper } from '../../src/records/mapper.js';
import { RecordStream } from '../../src/records/record-stream.js';
import { SourceStatsTable } from '../../src/records/source-stats.js';
import { Mulberry32 } from '../../src/stats/random.js';

const T0 = 1_715_688_000;

/**
 * Every analyzer's state restored from a checkpoint taken mid-stream goes on as if never stopped.
 * The log: what makes drift's and data quality's values of a feature differ: numeric strings (a number to
 * drift, missing to data quality), failed requests with their inputs (data quality only), a record
 * without features (drift only, all missing), Infinity, missing values, another key order; and a
 * second model version whose records begin late and stop for a while.
 */
function logLines(n: number): string[] {
  const rnd = new Mulberry32(11);
  const pick = <T>(xs: readonly T[]): T => xs[rnd.below(xs.length)];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const phase = i / n;
    const f: Record<string, unknown> = {
      a: Math.round(rnd.next() * 10_000) / 1000,
      // Clean for a while, then numeric strings now and then (drift and data quality part), then clean again (they meet again).
      b: phase > 0.3 && phase < 0.45 && rnd.next() < 0.2 ? pick(['4', '2.5', 'x', null]) : Math.round(rnd.next() * 100),
      c: pick(['red', 'green', 'blue']),
      d: rnd.next() < 0.05 ? undefined : rnd.next() * 100,
    };
    const record: Record<string, unknown> = { timestamp: T0 + i, request_id: `r${i}`, model: 'm', model_version: 'v1', features: f, prediction: rnd.next() < 0.5 ? 1 : 0, latency_ms: 12 };
    // Failed requests with inputs, in the middle third only.
    if (phase > 0.5 && phase < 0.6 && rnd.next() < 0.05) record.status = 500;
    let text = JSON.stringify(record);
    if (rnd.next() < 0.005) text = text.replace('"a":', '"a":1e999,"a2":');
    if (rnd.next() < 0.02) text = JSON.stringify({ features: { d: 1, c: 'red', a: 2, b: 3 }, timestamp: T0 + i, model: 'm', model_version: 'v1' });
    if (rnd.next() < 0.003) text = JSON.stringify({ timestamp: T0 + i, model: 'm', model_version: 'v1', prediction: 1 });
    lines.push(text);
    // A second version, from a third of the way on, with a pause.
    if (phase > 0.33 && !(phase > 0.6 && phase < 0.7)) lines.push(JSON.stringify({ ...record, model_version: 'v2', request_id: `s${i}`, features: { ...f, a: (f.a as number) * 2 } }));
  }
  return lines;
}

function config(extra: Record<string, unknown> = {}) {
  return configSchema.parse({
    ...extra,
    reference: { warmup_records: 300 },
    drift: { windows: [{ count: 400 }, { duration: '1h' }], min_samples: 50 },
    features: [
      { name: 'a', type: 'numeric' },
      { name: 'b', type: 'numeric' },
      { name: 'c', type: 'categorical' },
      { name: 'd', type: 'numeric' },
    ],
  });
}

function analyzers(clock: ManualClock, extra?: Record<string, unknown>): { set: AnalyzerSet; registry: Registry } {
  const registry = new Registry();
  const set = new AnalyzerSet(ANALYZERS, { config: config(extra), registry, clock, logger: pino({ level: 'silent' }), oneShot: true });
  return { set, registry };
}

function stream(set: AnalyzerSet, clock: ManualClock): RecordStream {
  const mapper = createRecordMapper(formatSchema.parse({}), { defaults: { model: 'm', version: 'v' }, pairing: { ttl: 60, max_pending: 100 }, clock });
  return new RecordStream(mapper, 'records', set, new SourceStatsTable());
}

function feed(set: AnalyzerSet, lines: readonly string[], clock: ManualClock): void {
  const s = stream(set, clock);
  for (const line of lines) s.line(line, 'log');
}

/** Every analyzer's state as the checkpoint writes it (the warm-up profile's wall-clock time left out). */
function state(set: AnalyzerSet): string {
  return JSON.stringify(set.snapshot(), (key, value: unknown) => (key === 'created_at' ? undefined : value));
}

/** Data quality's saved value windows of drift's count window size, by model version and feature: how each was saved. */
function valueRingForms(checkpoint: Record<string, unknown>): string[] {
  const dq = checkpoint.data_quality as { models: { version: string; checks: { values: Record<string, Record<string, Record<string, unknown>>> } }[] };
  return dq.models.flatMap((m) => Object.entries(m.checks.values).map(([feature, w]) => `${m.version} ${feature} ${w.last_400.againstDrift !== undefined ? 'against drift' : 'whole'}`));
}

describe('every analyzer restored from a checkpoint taken mid-stream', () => {
  const lines = logLines(4000);

  // Cut in the clean middle, among the failed requests (data quality's extras), and among the
  // numeric strings (drift's values and data quality's apart: that feature's ring saved whole).
  for (const [cut, forms] of [
    [0.5, ['v1 a against drift', 'v1 b against drift', 'v1 d against drift', 'v2 a against drift', 'v2 b against drift', 'v2 d against drift']],
    [0.57, ['v1 a against drift', 'v1 b against drift', 'v1 d against drift', 'v2 a against drift', 'v2 b against drift', 'v2 d against drift']],
    [0.42, ['v1 a against drift', 'v1 b whole', 'v1 d against drift', 'v2 a against drift', 'v2 b whole', 'v2 d against drift']],
  ] as const) {
    it(`saves what it restored, and goes on as the analyzers that were never stopped (cut at ${cut})`, async () => {
      const clock = new ManualClock((T0 + 5000) * 1000);
      const at = Math.round(lines.length * cut);
      const before = analyzers(clock);
      feed(before.set, lines.slice(0, at), clock);
      const checkpoint = JSON.parse(state(before.set)) as Record<string, unknown>;
      // Not vacuous: data quality's value windows are in it, saved against drift's where they can be.
      expect(JSON.stringify(checkpoint)).toContain('"values"');
      expect(valueRingForms(checkpoint).sort()).toEqual(forms);
      const restored = analyzers(clock);
      restored.set.restore(checkpoint);
      expect(state(restored.set)).toBe(JSON.stringify(checkpoint));
      feed(restored.set, lines.slice(at), clock);
      feed(before.set, lines.slice(at), clock);
      expect(state(restored.set)).toBe(state(before.set));
      // Counters restart with the process (the exposition carries them over): the windows' gauges.
      await restored.set.tick(clock.now());
      await before.set.tick(clock.now());
      const gauges = (text: string) => text.split('\n').filter((l) => /^modelwatch_(feature_value|feature_drift_score|feature_issue_ratio)\{/.test(l));
      const after = gauges(await restored.registry.metrics());
      expect(after.length).toBeGreaterThan(50);
      expect(after).toEqual(gauges(await before.registry.metrics()));
    }, 120_000);
  }

  it("saves data quality's windows of another size than drift's whole, and restores both kinds", async () => {
    // A user's own quality.windows: one of drift's size, one drift does not keep.
    const extra = { quality: { windows: [{ count: 300 }, { count: 400 }] } };
    const clock = new ManualClock((T0 + 5000) * 1000);
    const at = lines.length / 2;
    const before = analyzers(clock, extra);
    feed(before.set, lines.slice(0, at), clock);
    const checkpoint = JSON.parse(state(before.set)) as Record<string, unknown>;
    type Values = { data_quality: { models: { checks: { values: Record<string, Record<string, Record<string, unknown>>> } }[] } };
    const windows = (checkpoint as unknown as Values).data_quality.models.flatMap((m) => Object.values(m.checks.values));
    expect(windows).toHaveLength(6);
    for (const w of windows) expect([w.last_300.againstDrift === undefined, w.last_400.againstDrift !== undefined]).toEqual([true, true]);
    const restored = analyzers(clock, extra);
    restored.set.restore(checkpoint);
    expect(state(restored.set)).toBe(JSON.stringify(checkpoint));
    feed(restored.set, lines.slice(at), clock);
    feed(before.set, lines.slice(at), clock);
    expect(state(restored.set)).toBe(state(before.set));
  }, 120_000);

  it("starts a value ring saved against drift's window empty when drift's part is not there, the rest restored", () => {
    const clock = new ManualClock((T0 + 5000) * 1000);
    const before = analyzers(clock);
    feed(before.set, lines.slice(0, lines.length / 2), clock);
    const checkpoint = JSON.parse(state(before.set)) as Record<string, unknown>;
    type Saved = { data_quality: { models: { checks: { values: Record<string, Record<string, { againstDrift?: unknown; filled: number }>> } }[] } };
    const savedValues = (s: Saved) => s.data_quality.models.flatMap((m) => Object.values(m.checks.values));
    expect(valueRingForms(checkpoint)).toHaveLength(6);
    expect(valueRingForms(checkpoint).every((f) => f.endsWith('against drift'))).toBe(true);
    delete checkpoint.drift;
    const restored = analyzers(clock);
    restored.set.restore(checkpoint);
    const saved = JSON.parse(state(restored.set)) as Saved;
    // The count windows start empty, their time windows restored.
    expect(savedValues(saved).map((w) => w.last_400.filled)).toEqual([0, 0, 0, 0, 0, 0]);
    expect(savedValues(saved).map((w) => w['1h'])).toEqual(savedValues(checkpoint as unknown as Saved).map((w) => w['1h']));
  });
});
