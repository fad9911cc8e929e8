import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { AnalyzerSet } from '../../src/analyzers/analyzer-set.js';
import { ANALYZERS } from '../../src/analyzers/index.js';
import { configSchema, formatSchema } from '../../src/config/schema.js';
import { ManualClock } from '../../src/core/clock.js';
import { Mulberry32 } from '../../src/stats/random.js';
import { createRecordMapper } from '../../src/records/mapper.js';
import type { ModelRecord } from '../../src/records/model-record.js';
import { RecordStream, type RecordConsumer } from '../../src/records/record-stream.js';
import { SourceStatsTable } from '../../src/records/source-stats.js';

const T0 = 1_715_688_000;

/**
 * A log with what the analyzers must tell apart: numbers (one of them 1e999, read as Infinity),
 * numeric strings, text in a numeric feature, null, booleans, '', missing and unexpected features,
 * numbers in a categorical feature, and now and then the keys in another order.
 */
function logLines(n: number): string[] {
  const rnd = new Mulberry32(7);
  const pick = <T>(xs: readonly T[]): T => xs[rnd.below(xs.length)];
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const drift = i > n / 2 ? 1.5 : 0;
    const f: Record<string, unknown> = {
      a: Math.round((rnd.next() * 10 + drift) * 1000) / 1000,
      b: pick([1, 2, 3, '4', '2.5', 'x', null, true, '', 1e300]),
      c: pick(['red', 'green', 'blue', 'green', 7, false, null, '']),
      d: rnd.next() < 0.05 ? undefined : rnd.next() * 100 - drift * 20,
    };
    if (rnd.next() < 0.03) f.extra = 1;
    let text = JSON.stringify({ timestamp: T0 + i, request_id: `r${i % 900}`, model: 'm', features: f, prediction: rnd.next() < 0.5 ? 1 : 0, scores: rnd.next(), latency_ms: 12 });
    if (rnd.next() < 0.01) text = text.replace('"a":', '"a":1e999,"a2":');
    if (rnd.next() < 0.02) text = JSON.stringify({ features: { d: 1, c: 'red', a: 2 }, timestamp: T0 + i, model: 'm' });
    lines.push(text);
  }
  return lines;
}

/**
 * Every analyzer's state (drift bins and raw-value windows, multivariate errors, data-quality issue
 * and value windows, model quality) and the exposition, after feeding the lines through a record
 * stream. The state, not a tick's results, so what each record did is compared exactly.
 */
async function analyzed(lines: readonly string[], lend: boolean, typed = true): Promise<{ state: string; text: string; lent: number }> {
  const config = configSchema.parse({
    reference: { warmup_records: 300 },
    drift: { windows: [{ count: 500 }, { duration: '1h' }], min_samples: 50 },
    // Untyped: data quality learns each feature's type from its first value (the first record's features).
    features: typed
      ? [
          { name: 'a', type: 'numeric' },
          { name: 'b', type: 'numeric' },
          { name: 'c', type: 'categorical' },
          { name: 'd', type: 'numeric' },
        ]
      : undefined,
  });
  const clock = new ManualClock((T0 + lines.length) * 1000);
  const registry = new Registry();
  const set = new AnalyzerSet(ANALYZERS, { config, registry, clock, logger: pino({ level: 'silent' }), oneShot: true });
  let lent = 0;
  // The same analyzers behind a consumer that does not say it borrows: records come with their object rows.
  const consumer: RecordConsumer = lend
    ? {
        borrowsRecords: true,
        record: (r: ModelRecord) => {
          if (r.columns !== undefined) lent++;
          set.record(r);
        },
        label: (l) => set.label(l),
      }
    : { record: (r) => set.record(r), label: (l) => set.label(l) };
  const mapper = createRecordMapper(formatSchema.parse({}), { defaults: { model: 'm', version: 'v' }, pairing: { ttl: 60, max_pending: 100 }, clock });
  const stream = new RecordStream(mapper, 'records', consumer, new SourceStatsTable());
  for (const line of lines) stream.line(line, 'log');
  // The warm-up profile's created_at is the wall clock: the one thing that differs between runs.
  return { state: JSON.stringify(set.snapshot(), (key, value: unknown) => (key === 'created_at' ? undefined : value)), text: await registry.metrics(), lent };
}

describe('lent records (typed feature columns)', () => {
  it('give every analyzer the same metrics as records with object rows', async () => {
    const lines = logLines(3000);
    const [lent, rows] = [await analyzed(lines, true), await analyzed(lines, false)];
    // A line whose keys differ from the previous line's is made as an object row (about one in five here).
    expect(lent.lent).toBeGreaterThan(2000);
    expect(rows.lent).toBe(0);
    // Not vacuous: the windows of drift (per feature and multivariate) and data quality hold records.
    const state = JSON.parse(lent.state) as { drift: { models: { features: Record<string, unknown>; multivariate?: unknown }[] }; data_quality: unknown };
    expect(Object.keys(state.drift.models[0].features).sort()).toEqual(['a', 'b', 'c', 'd']);
    expect(state.drift.models[0].multivariate).toBeDefined();
    expect(lent.text).toMatch(/modelwatch_data_quality_issues_total\{[^}]*issue="type_mismatch"[^}]*\} [1-9]/);
    expect(lent.state).toBe(rows.state);
    expect(lent.text).toBe(rows.text);
  });

  it('give data quality the same issues and value windows when it learns the feature types from the stream', async () => {
    const lines = logLines(3000);
    const [lent, rows] = [await analyzed(lines, true, false), await analyzed(lines, false, false)];
    expect(lent.lent).toBeGreaterThan(2000);
    const state = JSON.parse(lent.state) as { data_quality: { models: { checks: { types: Record<string, string>; values: Record<string, unknown> } }[] } };
    const checks = state.data_quality.models[0].checks;
    expect(checks.types.a).toBe('numeric');
    expect(Object.keys(checks.values)).toContain('a');
    expect(lent.state).toBe(rows.state);
    expect(lent.text).toBe(rows.text);
  });
});
