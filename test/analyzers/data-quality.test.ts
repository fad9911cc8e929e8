import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { AnalyzerSet } from '../../src/analyzers/analyzer-set.js';
import type { AnalyzerContext } from '../../src/analyzers/analyzer.js';
import { DataQualityAnalyzer, dataQualityAnalyzer } from '../../src/analyzers/data-quality.js';
import { configSchema } from '../../src/config/schema.js';
import type { ModelRecord } from '../../src/records/model-record.js';
import { ManualClock } from '../../src/core/clock.js';
import { T0, streamLines } from './staging-harness.js';

function setup(config: Record<string, unknown> = {}) {
  const registry = new Registry();
  const parsed = configSchema.parse({ drift: { windows: [{ count: 4 }, { duration: 60 }] }, ...config });
  const analyzer = new DataQualityAnalyzer({ config: parsed, registry, clock: new ManualClock(), logger: pino({ level: 'silent' }) });
  return { registry, analyzer };
}

function referenceCsv(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mw-dq-'));
  const path = join(dir, 'ref.csv');
  // age in [20, 60] (tolerance 0.1 widens it to [16, 64]); plan in {basic, pro}.
  writeFileSync(path, 'age,plan\n20,basic\n30,pro\n40,basic\n60,pro\n');
  return path;
}

const rec = (features: ModelRecord['features'], over: Partial<ModelRecord> = {}): ModelRecord => ({ timestamp: 100, model: 'm', version: 'v1', features, ...over });

function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const inner = line.slice(name.length + 1, line.indexOf('}'));
    const parts = inner.split(',');
    if (parts.length === wanted.length && wanted.every((w) => parts.includes(w))) return Number(line.slice(line.indexOf('}') + 2));
  }
  return undefined;
}

describe('DataQualityAnalyzer', () => {
  it('names each bad value against the reference profile and counts it', async () => {
    const { registry, analyzer } = setup({ reference: { path: referenceCsv() } });
    analyzer.onRecord(rec({ age: 30, plan: 'pro' }, { requestId: 'a' }));
    analyzer.onRecord(rec({ age: 'thirty', plan: 'enterprise' }, { requestId: 'b' }));
    analyzer.onRecord(rec({ age: 65, plan: null }, { requestId: 'a' }));
    analyzer.onRecord(rec({ age: 'NaN', plan: '', colour: 'red' }, { requestId: 'c' }));
    analyzer.onRecord(rec({ plan: 'basic', age: 63 }));
    const text = await registry.metrics();
    const issue = (feature: string, issue: string) => sample(text, 'modelwatch_data_quality_issues_total', { model: 'm', version: 'v1', feature, issue });
    expect(issue('age', 'type_mismatch')).toBe(1);
    expect(issue('age', 'out_of_range')).toBe(1);
    expect(issue('age', 'non_finite')).toBe(1);
    expect(issue('age', 'missing')).toBe(0);
    expect(issue('plan', 'new_category')).toBe(1);
    expect(issue('plan', 'missing')).toBe(2);
    expect(issue('colour', 'unexpected_feature')).toBe(1);
    expect(issue('__record__', 'duplicate_request_id')).toBe(1);
    // {age, plan} → {age, plan, colour} → {plan, age}: two changes; key order alone is none.
    expect(issue('__record__', 'schema_change')).toBe(2);
    expect(sample(text, 'modelwatch_data_quality_records_total', { model: 'm', version: 'v1' })).toBe(5);
  });

  it('counts the same issues for records read from log lines (lent, their features in typed columns) as for records given whole', async () => {
    // Categorical values of every kind under reference categories: known, new, '', null, a number,
    // a boolean, a 1 MB string; numbers in and out of range, text, 1e999 (non-finite).
    const plans: unknown[] = ['pro', 'enterprise', '', null, 7, true, 'x'.repeat(1 << 20), 'basic', 'ENTERPRISE'];
    const ages: unknown[] = [30, 65, 'thirty', 'NaN', 20, null, 59.5, -3, 40];
    const lines = plans.map((plan, i) => JSON.stringify({ timestamp: T0 + i, request_id: `r${i}`, model: 'm', model_version: 'v1', features: { age: ages[i], plan } }).replace('"age":40', '"age":1e999'));
    const config = configSchema.parse({ drift: { windows: [{ count: 4 }, { duration: 60 }] }, reference: { path: referenceCsv() } });
    const clock = new ManualClock((T0 + 100) * 1000);
    const fromLines = new Registry();
    const set = new AnalyzerSet([dataQualityAnalyzer], { config, registry: fromLines, clock, logger: pino({ level: 'silent' }) });
    await streamLines(set, clock, lines, () => undefined);
    const whole = setup({ reference: { path: referenceCsv() } });
    for (const line of lines) {
      const o = JSON.parse(line) as { timestamp: number; request_id: string; features: ModelRecord['features'] };
      whole.analyzer.onRecord(rec(o.features, { timestamp: o.timestamp, requestId: o.request_id }));
    }
    const issues = async (r: Registry) => (await r.metrics()).split('\n').filter((l) => l.startsWith('modelwatch_data_quality_issues_total{'));
    const read = await issues(fromLines);
    expect(read).toEqual(await issues(whole.registry));
    // Not vacuous: the lines went through the typed columns and found each kind of issue.
    for (const [feature, issue, n] of [['plan', 'new_category', 5], ['plan', 'missing', 2], ['age', 'out_of_range', 2], ['age', 'type_mismatch', 1], ['age', 'non_finite', 2], ['age', 'missing', 1]] as const) {
      expect(sample(read.join('\n'), 'modelwatch_data_quality_issues_total', { model: 'm', version: 'v1', feature, issue }), `${feature} ${issue}`).toBe(n);
    }
  });

  it("lists a lent record's issues in feature order, as a record given whole does (the count windows keep that order)", async () => {
    // The categorical feature first: the column loop checks numeric features before categorical ones.
    const over = { features: [{ name: 'plan', type: 'categorical' }, { name: 'age', type: 'numeric' }], reference: { path: referenceCsv() } };
    // Both features bad in most records: a new category (plan) and an age out of range.
    const lines = Array.from({ length: 6 }, (_, i) => JSON.stringify({ timestamp: T0 + i, request_id: `r${i}`, model: 'm', model_version: 'v1', features: { age: i < 5 ? 100 + i : 30, plan: `new${i}` } }));
    let lent: DataQualityAnalyzer | undefined;
    const factory = { ...dataQualityAnalyzer, create: (ctx: AnalyzerContext) => (lent = new DataQualityAnalyzer(ctx)) };
    const config = configSchema.parse({ drift: { windows: [{ count: 4 }, { duration: 60 }] }, ...over });
    const clock = new ManualClock((T0 + 100) * 1000);
    const set = new AnalyzerSet([factory], { config, registry: new Registry(), clock, logger: pino({ level: 'silent' }) });
    await streamLines(set, clock, lines, () => undefined);
    const whole = setup(over);
    for (const line of lines) {
      const o = JSON.parse(line) as { timestamp: number; request_id: string; features: ModelRecord['features'] };
      whole.analyzer.onRecord(rec(o.features, { timestamp: o.timestamp, requestId: o.request_id }));
    }
    const windows = (a: DataQualityAnalyzer) => JSON.stringify(a.snapshot().models.map((m) => m.checks?.windows));
    expect(windows(lent!)).toBe(windows(whole.analyzer));
    // Not vacuous: the last 4 records' 7 issues are in the count window (fails with the issues left in loop order).
    expect(lent!.series.get('m', 'v1').checks!.windows[0].counts().reduce((a, b) => a + b, 0)).toBe(7);
  });

  it('uses explicit bounds over the reference range', async () => {
    const { registry, analyzer } = setup({ reference: { path: referenceCsv() }, quality: { data_quality: { bounds: { age: { min: 0, max: 120 } } } } });
    analyzer.onRecord(rec({ age: 100, plan: 'pro' }));
    analyzer.onRecord(rec({ age: -1, plan: 'pro' }));
    const text = await registry.metrics();
    expect(sample(text, 'modelwatch_data_quality_issues_total', { model: 'm', version: 'v1', feature: 'age', issue: 'out_of_range' })).toBe(1);
  });

  it('reports window ratios and value summaries on tick, count windows holding the last N', async () => {
    const { registry, analyzer } = setup({ features: [{ name: 'latency', type: 'numeric' }] });
    // The last 4 records: 1, 2, null, 1000 → a quarter missing; summaries over 1, 2, 1000.
    for (const v of [7, 7, 1, 2, null, 1000]) analyzer.onRecord(rec({ latency: v }));
    analyzer.tick(100_000);
    const text = await registry.metrics();
    expect(sample(text, 'modelwatch_feature_issue_ratio', { model: 'm', version: 'v1', feature: 'latency', issue: 'missing', window: 'last_4' })).toBe(0.25);
    expect(sample(text, 'modelwatch_feature_issue_ratio', { model: 'm', version: 'v1', feature: 'latency', issue: 'missing', window: '1m' })).toBeCloseTo(1 / 6, 12);
    const stat = (s: string, window = 'last_4') => sample(text, 'modelwatch_feature_value', { model: 'm', version: 'v1', feature: 'latency', stat: s, window });
    expect(stat('min')).toBe(1);
    expect(stat('max')).toBe(1000);
    expect(stat('mean')).toBeCloseTo(1003 / 3, 9);
    expect(stat('p50')).toBe(2);
    // numpy.percentile([1, 2, 1000], 95) = 2 + 0.9 * 998
    expect(stat('p95')).toBeCloseTo(900.2, 9);
    expect(stat('max', '1m')).toBe(1000);
    expect(stat('min', '1m')).toBe(1);
  });

  it('keeps a value summary while its window neither gained nor lost a value; recomputes it after one record or an expiry', () => {
    const { analyzer } = setup({ features: [{ name: 'latency', type: 'numeric' }] });
    for (const v of [1, 2, 3]) analyzer.onRecord(rec({ latency: v }));
    analyzer.onRecord(rec({ latency: 1000 }, { timestamp: 150 }));
    const summaries = () => analyzer.series.get('m', 'v1').summaries.map((s) => s.get(0));
    analyzer.tick(155_000);
    const [count, time] = summaries();
    // Idle: the same summaries, not recomputed (each is a new array when computed).
    analyzer.tick(156_000);
    expect(summaries()[0]).toBe(count);
    expect(summaries()[1]).toBe(time);
    // No new record, but the 1 minute window drops the records of t=100: only it is recomputed.
    analyzer.tick(175_000);
    expect(summaries()[0]).toBe(count);
    expect(summaries()[1]).not.toBe(time);
    expect(summaries()[1]![0]).toBe(1000);
    // One record: both windows changed.
    const expired = summaries()[1];
    analyzer.onRecord(rec({ latency: 4 }, { timestamp: 175 }));
    analyzer.tick(175_000);
    expect(summaries()[0]).not.toBe(count);
    expect(summaries()[1]).not.toBe(expired);
  });

  it('learns the schema from the first record without config or reference, and time windows expire', async () => {
    const { registry, analyzer } = setup();
    analyzer.onRecord(rec({ a: 1, b: 'x' }));
    analyzer.onRecord(rec({ a: 'oops', b: 'y', c: 3 }, { timestamp: 110 }));
    analyzer.tick(0);
    let text = await registry.metrics();
    expect(sample(text, 'modelwatch_data_quality_issues_total', { model: 'm', version: 'v1', feature: 'a', issue: 'type_mismatch' })).toBe(1);
    expect(sample(text, 'modelwatch_data_quality_issues_total', { model: 'm', version: 'v1', feature: 'c', issue: 'unexpected_feature' })).toBe(1);
    expect(sample(text, 'modelwatch_feature_issue_ratio', { model: 'm', version: 'v1', feature: 'a', issue: 'type_mismatch', window: '1m' })).toBe(0.5);
    // Two minutes later the 1m window is empty: no ratio; the counter stays.
    analyzer.tick(230_000);
    text = await registry.metrics();
    expect(sample(text, 'modelwatch_feature_issue_ratio', { model: 'm', version: 'v1', feature: 'a', issue: 'type_mismatch', window: '1m' })).toBeUndefined();
    expect(sample(text, 'modelwatch_feature_issue_ratio', { model: 'm', version: 'v1', feature: 'a', issue: 'type_mismatch', window: 'last_4' })).toBe(0.5);
    expect(sample(text, 'modelwatch_data_quality_issues_total', { model: 'm', version: 'v1', feature: 'a', issue: 'type_mismatch' })).toBe(1);
  });

  it('adds a segment label to issue counts, capping segment values', async () => {
    const { registry, analyzer } = setup({ quality: { segments: { fields: ['region'], max_values: 2 } } });
    analyzer.onRecord(rec({ x: 1, region: 'eu' }));
    analyzer.onRecord(rec({ x: null, region: 'eu' }));
    analyzer.onRecord(rec({ x: null, region: 'us' }));
    analyzer.onRecord(rec({ x: null, region: 'apac' }));
    analyzer.onRecord(rec({ x: null, region: 'latam' }));
    const text = await registry.metrics();
    const seg = (segment: string) => sample(text, 'modelwatch_data_quality_issues_total', { model: 'm', version: 'v1', feature: 'x', issue: 'missing', segment });
    expect(seg('region=eu')).toBe(1);
    expect(seg('region=us')).toBe(1);
    expect(seg('region=__other__')).toBe(2);
    expect(sample(text, 'modelwatch_data_quality_issues_total', { model: 'm', version: 'v1', feature: 'x', issue: 'missing' })).toBe(4);
  });

  it('caps unexpected feature names', async () => {
    const { registry, analyzer } = setup({ features: [{ name: 'a' }], quality: { data_quality: { max_unexpected_features: 2 } } });
    for (let i = 0; i < 5; i++) analyzer.onRecord(rec({ a: 1, [`junk${i}`]: 1 }));
    const text = await registry.metrics();
    const lines = text.split('\n').filter((l) => l.startsWith('modelwatch_data_quality_issues_total{') && l.includes('unexpected_feature'));
    expect(lines).toHaveLength(3);
    expect(sample(text, 'modelwatch_data_quality_issues_total', { model: 'm', version: 'v1', feature: '__overflow__', issue: 'unexpected_feature' })).toBe(3);
  });
});
