/**
 * The quality analyzers survive a restart: an analyzer restored from another's snapshot (through
 * JSON, as the checkpoint stores it) ends with exactly the gauges of a run that never stopped, and
 * its counters, added to the ones exposed at the snapshot (as the exposition carries them over),
 * equal the uninterrupted ones: nothing is lost and nothing is counted twice. Labels that come
 * after the restart join the predictions made before it, and the concept-drift detectors fire at
 * the same record.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import type { Analyzer } from '../../src/analyzers/analyzer.js';
import { CustomMetricsAnalyzer } from '../../src/analyzers/custom-metrics.js';
import { DataQualityAnalyzer } from '../../src/analyzers/data-quality.js';
import { ModelQualityAnalyzer } from '../../src/analyzers/model-quality.js';
import { configSchema } from '../../src/config/schema.js';
import type { LabelRecord, ModelRecord } from '../../src/records/model-record.js';
import { mulberry32 } from '../../src/stats/random.js';
import { ManualClock } from '../../src/core/clock.js';

const T0 = 1_700_000_000;
const STEPS = 1000;
const TICK_EVERY = 50;

interface Step {
  records: ModelRecord[];
  labels: LabelRecord[];
}

/**
 * One record a second of a binary classifier (`clf`, scores logged) and a regressor (`reg`), both
 * worse from step 500 on. Labels come 100 steps (clf) or 80 steps (reg) after their prediction;
 * every 37th clf label comes 3 steps before it. Features have missing, out-of-range and
 * unexpected values, repeated request ids and a segment value first seen late.
 */
function stream(): Step[] {
  const rand = mulberry32(11);
  const steps: Step[] = Array.from({ length: STEPS + 100 }, () => ({ records: [], labels: [] }));
  for (let i = 0; i < STEPS; i++) {
    const t = T0 + i;
    const worse = i >= 500;
    const score = rand();
    const predicted = score >= 0.5 ? '1' : '0';
    const truth = rand() < (worse ? 0.6 : 0.93) ? predicted : predicted === '1' ? '0' : '1';
    const x = i % 13 === 3 ? null : rand() * 10 + (worse ? 1.5 : 0);
    const region = i > 800 && i % 5 === 0 ? 'latam' : ['eu', 'us', 'apac'][Math.floor(rand() * 3)];
    const features: ModelRecord['features'] = { x, region, group: rand() < 0.4 ? 'a' : 'b' };
    if (i % 57 === 10) features[`debug_${Math.floor(i / 57) % 4}`] = 1;
    if (i % 91 === 20) delete features.group;
    const requestId = i % 29 === 5 && i > 7 ? `clf-${i - 7}` : `clf-${i}`;
    const extra = { tokens: 10 + (i % 17), temperature: 0.1 * (i % 9), tenant: `t${Math.floor(i / 240)}` };
    steps[i].records.push({ timestamp: t, requestId, model: 'clf', version: 'v1', features, prediction: predicted, scores: [score], extra });
    const labelStep = i % 37 === 0 && i >= 3 ? i - 3 : i + 100;
    steps[labelStep].labels.push({ timestamp: t + (labelStep - i), requestId: `clf-${i}`, label: truth });
    const xr = rand() * 10;
    const noise = (rand() - 0.5) * (worse ? 6 : 1);
    steps[i].records.push({ timestamp: t, requestId: `reg-${i}`, model: 'reg', version: 'v2', features: { x: xr, region }, prediction: 2 * xr });
    steps[i + 80].labels.push({ timestamp: t + 80, requestId: `reg-${i}`, label: 2 * xr + noise });
  }
  return steps;
}

const STREAM = stream();

const CONFIG = {
  drift: { windows: [{ count: 300 }, { duration: '10m' }] },
  quality: {
    min_samples: 20,
    miss_threshold: 1,
    segments: { fields: ['region'], max_values: 3 },
    fairness: { attribute: 'group' },
    detectors: [{ name: 'adwin' }, { name: 'page_hinkley', options: { threshold: 8 } }, { name: 'ddm' }],
    data_quality: { bounds: { x: { min: 0, max: 10 } }, max_unexpected_features: 2, max_request_ids: 50 },
  },
  custom_metrics: [
    { name: 'tokens', path: 'tokens', type: 'counter' },
    { name: 'temperature', path: 'temperature', type: 'gauge', labels: { tenant: 'tenant' }, max_series: 3 },
    { name: 'token_count', path: 'tokens', type: 'histogram', buckets: [12, 20] },
  ],
};

type Kind = 'model_quality' | 'data_quality' | 'custom_metrics';

function build(kind: Kind, config: Record<string, unknown> = CONFIG, logs: string[] = []) {
  const registry = new Registry();
  const clock = new ManualClock(T0 * 1000);
  const sink = new Writable({ write: (chunk, _enc, done) => (logs.push(String(chunk)), done()) });
  const ctx = { config: configSchema.parse(config), registry, clock, logger: pino({ level: 'warn' }, sink), oneShot: true };
  const analyzer: Analyzer & { snapshot(): unknown; restore(s: unknown): void } =
    kind === 'model_quality' ? new ModelQualityAnalyzer(ctx) : kind === 'data_quality' ? new DataQualityAnalyzer(ctx) : new CustomMetricsAnalyzer(ctx);
  return { analyzer, registry, clock };
}

type Built = ReturnType<typeof build>;

/** Feeds steps [from, to), ticking every TICK_EVERY steps; `after` sees each step's end. */
function feed(b: Built, from: number, to: number, after?: (step: number) => void): void {
  for (let i = from; i < to; i++) {
    b.clock.set((T0 + i) * 1000);
    for (const r of STREAM[i].records) b.analyzer.onRecord(r);
    for (const l of STREAM[i].labels) b.analyzer.onLabel?.(l);
    if (i % TICK_EVERY === TICK_EVERY - 1) void b.analyzer.tick?.(b.clock.now());
    after?.(i);
  }
}

async function finish(b: Built): Promise<string> {
  await b.analyzer.tick?.(b.clock.now());
  return b.registry.metrics();
}

function restarted(kind: Kind, before: Built, config?: Record<string, unknown>, logs?: string[]): Built {
  const after = build(kind, config, logs);
  after.clock.set(before.clock.now());
  after.analyzer.restore(JSON.parse(JSON.stringify(before.analyzer.snapshot())));
  return after;
}

function types(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) out.set(m[1], m[2]);
  return out;
}

function familyOf(t: Map<string, string>, series: string): string {
  const name = series.replace(/\{.*$/, '');
  return t.has(name) ? name : name.replace(/_(bucket|sum|count)$/, '');
}

const sampleLines = (text: string) => text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));

function gaugeLines(text: string): string[] {
  const t = types(text);
  return sampleLines(text).filter((l) => t.get(familyOf(t, l)) === 'gauge');
}

/** Counter and histogram samples, as the exposition's carried-over base adds them: before + after. */
function counters(...texts: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const text of texts) {
    const t = types(text);
    for (const line of sampleLines(text)) {
      const type = t.get(familyOf(t, line));
      if (type !== 'counter' && type !== 'histogram') continue;
      const sp = line.lastIndexOf(' ');
      out.set(line.slice(0, sp), (out.get(line.slice(0, sp)) ?? 0) + Number(line.slice(sp + 1)));
    }
  }
  return out;
}

function expectSameCounters(actual: Map<string, number>, expected: Map<string, number>): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [k, v] of expected) expect(Math.abs(actual.get(k)! - v), `${k}: ${actual.get(k)} vs ${v}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v)));
}

/** Runs uninterrupted and interrupted at `cut`; returns both scrapes (after: its own, plus the counters as carried over). */
async function compare(kind: Kind, cut: number, watch?: (b: Built) => number[]) {
  const whole = build(kind);
  const wholeTrace: number[][] = [];
  feed(whole, 0, STREAM.length, () => watch && wholeTrace.push(watch(whole)));
  const expected = await finish(whole);

  const before = build(kind);
  const trace: number[][] = [];
  feed(before, 0, cut, () => watch && trace.push(watch(before)));
  const atSnapshot = await before.registry.metrics();
  const after = restarted(kind, before);
  const base = watch?.(before) ?? [];
  feed(after, cut, STREAM.length, () => watch && trace.push(watch(after).map((v, i) => v + base[i])));
  const actual = await finish(after);
  return { expected, actual, atSnapshot, wholeTrace, trace };
}

/** Detections so far per (model, detector): the counter a restart carries over. */
function detections(b: Built): number[] {
  const out: number[] = [];
  for (const [, m] of (b.analyzer as ModelQualityAnalyzer).series.entries()) for (const d of m.detectors) out.push(d.detector.detections);
  return out;
}

describe('model quality across a restart', () => {
  it('the stream exercises what the restart must keep', async () => {
    const { expected } = await compare('model_quality', 400);
    expect(expected).toMatch(/modelwatch_model_quality\{model="clf",version="v1",metric="roc_auc",window="10m"\}/);
    expect(expected).toMatch(/modelwatch_model_quality\{[^}]*segment="region=__other__"/);
    expect(expected).toMatch(/modelwatch_model_quality_estimated\{model="clf"/);
    expect(expected).toMatch(/modelwatch_fairness\{model="clf"/);
    expect(expected).toMatch(/modelwatch_model_quality\{model="reg",version="v2",metric="rmse",window="last_300"\}/);
  });

  for (const cut of [400, 655, 731]) {
    it(`gauges and carried-over counters equal an uninterrupted run (restart at step ${cut})`, async () => {
      const { expected, actual, atSnapshot } = await compare('model_quality', cut);
      // Labels for predictions made before the restart were pending at the snapshot …
      expect(atSnapshot).toMatch(/modelwatch_label_join_pending\{kind="predictions"\} 1\d\d/);
      expect(gaugeLines(actual)).toEqual(gaugeLines(expected));
      const carried = counters(atSnapshot, actual);
      expectSameCounters(carried, counters(expected));
      // … and joined after it: none counted as unmatched.
      expect(carried.get('modelwatch_labels_total{model="clf",version="v1",outcome="unmatched"}')).toBe(0);
      expect(carried.get('modelwatch_labels_total{model="clf",version="v1",outcome="joined"}')).toBeGreaterThan(900);
    });
  }

  it('each detector fires at the same record with or without the restart', async () => {
    const whole = build('model_quality');
    const firsts: number[] = [];
    feed(whole, 0, STREAM.length, (i) => detections(whole).forEach((d, k) => (firsts[k] ??= d > 0 ? i : undefined!)));
    // Restart a few steps before the earliest detection, with the detectors well past warm-up.
    const cut = Math.min(...firsts.filter((f) => f !== undefined)) - 3;
    expect(cut).toBeGreaterThan(550);
    const { wholeTrace, trace } = await compare('model_quality', cut, detections);
    expect(trace).toEqual(wholeTrace);
    expect(wholeTrace.at(-1)!.filter((d) => d > 0).length).toBeGreaterThanOrEqual(4);
  });

  it('a changed config restores what still fits and logs what does not, never throwing', async () => {
    const before = build('model_quality');
    feed(before, 0, 600);
    await before.analyzer.tick?.(before.clock.now());
    const beforeText = await before.registry.metrics();
    const logs: string[] = [];
    const changed = {
      ...CONFIG,
      drift: { windows: [{ count: 300 }, { count: 50 }] },
      quality: { ...CONFIG.quality, segments: { fields: ['group'] }, fairness: undefined, detectors: [{ name: 'ddm' }] },
    };
    const after = restarted('model_quality', before, changed, logs);
    const text = await finish(after);
    const overall = (t: string) => gaugeLines(t).filter((l) => /^modelwatch_model_quality\{/.test(l) && l.includes('window="last_300"') && !l.includes('segment='));
    expect(overall(text).length).toBeGreaterThan(10);
    expect(overall(text)).toEqual(overall(beforeText));
    expect(text).toContain('modelwatch_model_quality_samples{model="clf",version="v1",window="last_50"} 0');
    const pending = (t: string) => gaugeLines(t).filter((l) => l.startsWith('modelwatch_label_join_pending'));
    expect(pending(text)).toEqual(pending(beforeText));
    expect(logs.join('')).toMatch(/saved segment codes do not fit/);
  });

  it('a state that does not fit at all leaves the analyzer empty and working', async () => {
    const logs: string[] = [];
    const b = build('model_quality', CONFIG, logs);
    const bad = { task: 'ranking', classes: 7, windows: { last_300: { length: 3 } }, scoreWindows: { '10m': { length: -1 } }, detectors: [{ name: 'adwin', latched: 0, state: 0, detector: { name: 'adwin', state: 9 } }] };
    b.analyzer.restore({ segments: 'x', models: [{ model: 'clf', version: 'v1', state: bad }, { model: 'reg' }], joiner: null });
    expect(() => b.analyzer.restore({ nonsense: true })).toThrow(/no models/);
    const fresh = build('model_quality');
    feed(b, 0, 300);
    feed(fresh, 0, 300);
    expect(await finish(b)).toBe(await finish(fresh));
    expect(logs.join('')).toMatch(/label join store does not fit/);
    expect(logs.join('')).toMatch(/"part":"detector adwin"/);
  });
});

describe('data quality across a restart', () => {
  for (const cut of [333, 777]) {
    it(`issue ratios, value summaries and carried-over counters equal an uninterrupted run (restart at step ${cut})`, async () => {
      const { expected, actual, atSnapshot } = await compare('data_quality', cut);
      expect(gaugeLines(actual)).toEqual(gaugeLines(expected));
      expectSameCounters(counters(atSnapshot, actual), counters(expected));
      for (const issue of ['missing', 'out_of_range', 'unexpected_feature', 'duplicate_request_id', 'schema_change']) {
        expect(expected, issue).toMatch(new RegExp(`modelwatch_feature_issue_ratio\\{[^}]*issue="${issue}",window="10m"\\} 0\\.\\d*[1-9]`));
      }
      expect(expected).toMatch(/modelwatch_feature_value\{model="clf",version="v1",feature="x",stat="p95",window="last_300"\}/);
      expect(expected).toMatch(/feature="__overflow__"/);
    });
  }

  it('a duplicate request id across the restart is still a duplicate; a schema change across it is still one', async () => {
    const dup = 'modelwatch_data_quality_issues_total{model="clf",version="v1",feature="__record__",issue="duplicate_request_id"}';
    const schema = 'modelwatch_data_quality_issues_total{model="clf",version="v1",feature="__record__",issue="schema_change"}';
    const uninterrupted = build('data_quality');
    feed(uninterrupted, 0, STREAM.length);
    const expected = counters(await finish(uninterrupted));
    expect(expected.get(dup)).toBeGreaterThan(0);
    expect(expected.get(schema)).toBeGreaterThan(0);
    // Step 63 repeats the id of step 56 (i % 29 === 5); step 67 is the first with feature debug_1.
    for (const cut of [60, 67]) {
      const { actual, atSnapshot } = await compare('data_quality', cut);
      const carried = counters(atSnapshot, actual);
      expect(carried.get(dup), `cut ${cut}`).toBe(expected.get(dup));
      expect(carried.get(schema), `cut ${cut}`).toBe(expected.get(schema));
    }
  });

  it('a changed feature list restores the windows of the features that remain', async () => {
    const before = build('data_quality', { ...CONFIG, features: [{ name: 'x', type: 'numeric' }, { name: 'region', type: 'categorical' }] });
    feed(before, 0, 400);
    await before.analyzer.tick?.(before.clock.now());
    const beforeText = await before.registry.metrics();
    const logs: string[] = [];
    const after = restarted('data_quality', before, { ...CONFIG, features: [{ name: 'color', type: 'categorical' }, { name: 'x', type: 'numeric' }] }, logs);
    const text = await finish(after);
    const ofX = (t: string) => gaugeLines(t).filter((l) => l.includes('feature="x"') && l.includes('model="clf"'));
    expect(ofX(text).length).toBeGreaterThan(10);
    expect(ofX(text)).toEqual(ofX(beforeText));
    expect(text).toContain('modelwatch_feature_issue_ratio{model="clf",version="v1",feature="color",issue="missing",window="last_300"} 0');
  });
});

describe('custom metrics across a restart', () => {
  it('gauges keep their last value, the series cap counts the same series, counters are not doubled', async () => {
    const { expected, actual, atSnapshot } = await compare('custom_metrics', 500);
    // tenant t0..t4 appear every 240 steps: t3 and t4 fold into __overflow__ whether or not the process restarted.
    expect(expected).toMatch(/modelwatch_custom_temperature\{model="__overflow__"/);
    expect(gaugeLines(actual)).toEqual(gaugeLines(expected));
    expectSameCounters(counters(atSnapshot, actual), counters(expected));
  });

  it('a gauge restored and not yet seen again still shows its last value', async () => {
    const before = build('custom_metrics');
    feed(before, 0, 300);
    const after = restarted('custom_metrics', before);
    expect(gaugeLines(await after.registry.metrics())).toEqual(gaugeLines(await before.registry.metrics()));
    expect(gaugeLines(await after.registry.metrics()).length).toBe(2);
  });
});
