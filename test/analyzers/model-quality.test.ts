import { describe, expect, it } from 'vitest';
import { groupFairness } from '../../src/analyzers/quality/fairness.js';
import { modelQuality, qualityFixture, sample } from './quality-helpers.js';

const M = { model: 'm', version: 'v1' };

describe('ModelQualityAnalyzer: the label join', () => {
  it('counts every outcome and observes the label delay', async () => {
    const { registry, analyzer, clock } = modelQuality({ quality: { labels: { ttl: '10s', grace: '5s', delay_buckets: [1, 10, 100] } } });
    analyzer.onRecord({ timestamp: 100, requestId: 'a', ...M, features: {}, prediction: 3 });
    analyzer.onRecord({ timestamp: 100, requestId: 'b', ...M, features: {}, prediction: 3 });
    analyzer.onRecord({ timestamp: 100, requestId: 'b', ...M, features: {}, prediction: 3 });
    analyzer.onLabel({ timestamp: 105, requestId: 'a', label: 4 });
    analyzer.onLabel({ timestamp: 106, requestId: 'a', label: 4 });
    // A label before its prediction waits within the grace period, then joins.
    analyzer.onLabel({ timestamp: 150, requestId: 'c', label: 1 });
    analyzer.onRecord({ timestamp: 120, requestId: 'c', ...M, features: {}, prediction: 1 });
    analyzer.onLabel({ timestamp: 150, requestId: 'zzz', label: 1, model: 'm', version: 'v1' });
    clock.advance(11_000);
    analyzer.tick(clock.now());
    const text = await registry.metrics();
    const outcome = (o: string) => sample(text, 'modelwatch_labels_total', { ...M, outcome: o });
    expect(outcome('joined')).toBe(2);
    expect(outcome('duplicate')).toBe(1);
    // A label naming no model is counted under unknown/unknown unless it joins.
    expect(sample(text, 'modelwatch_labels_total', { model: 'unknown', version: 'unknown', outcome: 'duplicate' })).toBe(1);
    expect(outcome('expired_prediction')).toBe(1);
    expect(outcome('unmatched')).toBe(1);
    expect(sample(text, 'modelwatch_label_delay_seconds_bucket', { ...M, le: '10' })).toBe(1);
    expect(sample(text, 'modelwatch_label_delay_seconds_bucket', { ...M, le: '100' })).toBe(2);
    expect(sample(text, 'modelwatch_label_delay_seconds_sum', M)).toBe(35);
    expect(sample(text, 'modelwatch_label_join_pending', { kind: 'predictions' })).toBe(0);
  });

  it('skips failed requests and reports nothing below min_samples', async () => {
    const { registry, analyzer } = modelQuality({ quality: { min_samples: 3 } });
    analyzer.onRecord({ timestamp: 1, requestId: 'x', ...M, features: {}, prediction: 1, status: 503 });
    for (const id of ['a', 'b']) analyzer.onRecord({ timestamp: 1, requestId: id, ...M, features: {}, prediction: 1 });
    for (const id of ['x', 'a', 'b']) analyzer.onLabel({ timestamp: 2, requestId: id, label: 2 });
    analyzer.tick(0);
    let text = await registry.metrics();
    expect(sample(text, 'modelwatch_model_quality_samples', { ...M, window: 'last_1000' })).toBe(2);
    expect(sample(text, 'modelwatch_model_quality', { ...M, metric: 'mae', window: 'last_1000' })).toBeUndefined();
    analyzer.onRecord({ timestamp: 1, requestId: 'c', ...M, features: {}, prediction: 4 });
    analyzer.onLabel({ timestamp: 2, requestId: 'c', label: 2 });
    analyzer.tick(0);
    text = await registry.metrics();
    expect(sample(text, 'modelwatch_model_quality', { ...M, metric: 'mae', window: 'last_1000' })).toBeCloseTo(4 / 3, 12);
  });

  it('time windows keep the pairs whose label came within the window', async () => {
    const { registry, analyzer } = modelQuality({ quality: { min_samples: 1, windows: [{ duration: '1m' }] } });
    analyzer.onRecord({ timestamp: 0, requestId: 'old', ...M, features: {}, prediction: 10 });
    analyzer.onLabel({ timestamp: 10, requestId: 'old', label: 0 });
    analyzer.onRecord({ timestamp: 50, requestId: 'new', ...M, features: {}, prediction: 1 });
    analyzer.onLabel({ timestamp: 100, requestId: 'new', label: 0 });
    analyzer.tick(100_000);
    const text = await registry.metrics();
    expect(sample(text, 'modelwatch_model_quality', { ...M, metric: 'mae', window: '1m' })).toBe(1);
  });
});

describe('ModelQualityAnalyzer: concept drift', () => {
  it('detects the cars MPG drift from the joined absolute errors (ADWIN, Page–Hinkley), and DDM from misses', async () => {
    const cars = qualityFixture<{ absErrors: number[]; onsetIndex: number }>('cars-drift.json');
    const { registry, analyzer } = modelQuality({
      quality: { task: 'regression', miss_threshold: 4, detectors: [{ name: 'adwin' }, { name: 'page_hinkley' }, { name: 'ddm' }] },
    });
    const detections = async (detector: string) => sample(await registry.metrics(), 'modelwatch_concept_drift_detections_total', { ...M, detector });
    cars.absErrors.forEach((e, i) => {
      if (i === cars.onsetIndex) analyzer.tick(0);
      // Prediction 0, label = |error|: the analyzer sees exactly the fixture's errors.
      analyzer.onRecord({ timestamp: i, requestId: `r${i}`, ...M, features: {}, prediction: 0 });
      analyzer.onLabel({ timestamp: i + 1, requestId: `r${i}`, label: e });
    });
    analyzer.tick(0);
    expect(await detections('adwin')).toBeGreaterThanOrEqual(1);
    expect(await detections('page_hinkley')).toBeGreaterThanOrEqual(1);
    expect(await detections('ddm')).toBeGreaterThanOrEqual(1);
    const text = await registry.metrics();
    for (const d of ['adwin', 'page_hinkley', 'ddm']) expect(sample(text, 'modelwatch_concept_drift_state', { ...M, detector: d })).toBeTypeOf('number');
  });

  it('latches a drift state until the next tick, so a scrape sees it', async () => {
    const { registry, analyzer } = modelQuality({ quality: { detectors: [{ name: 'page_hinkley', options: { minInstances: 5, threshold: 3 } }] } });
    const feed = (n: number, error: number, from: number) => {
      for (let i = from; i < from + n; i++) {
        analyzer.onRecord({ timestamp: i, requestId: `r${i}`, ...M, features: {}, prediction: 0 });
        analyzer.onLabel({ timestamp: i, requestId: `r${i}`, label: error });
      }
    };
    feed(20, 0, 0);
    analyzer.tick(0);
    expect(sample(await registry.metrics(), 'modelwatch_concept_drift_state', { ...M, detector: 'page_hinkley' })).toBe(0);
    feed(10, 5, 20);
    feed(1, 0, 30);
    analyzer.tick(0);
    expect(sample(await registry.metrics(), 'modelwatch_concept_drift_state', { ...M, detector: 'page_hinkley' })).toBe(2);
  });
});

describe('ModelQualityAnalyzer: segments and fairness', () => {
  it('adds per-segment quality and group fairness', async () => {
    const { registry, analyzer } = modelQuality({
      quality: { min_samples: 1, task: 'classification', segments: { fields: ['plan'] }, fairness: { attribute: 'group', privileged: 'a' } },
    });
    // group a: predicted 1 for 3 of 4; group b: 1 of 4. Truth 1 for two in each group.
    const rows = [
      ['a', 'pro', 1, 1],
      ['a', 'pro', 1, 1],
      ['a', 'free', 1, 0],
      ['a', 'free', 0, 0],
      ['b', 'pro', 1, 1],
      ['b', 'pro', 0, 1],
      ['b', 'free', 0, 0],
      ['b', 'free', 0, 0],
    ] as const;
    rows.forEach(([group, plan, pred, truth], i) => {
      analyzer.onRecord({ timestamp: 1, requestId: `r${i}`, ...M, features: { group, plan }, prediction: pred });
      analyzer.onLabel({ timestamp: 2, requestId: `r${i}`, label: truth });
    });
    analyzer.tick(0);
    const text = await registry.metrics();
    const w = { window: 'last_1000' };
    expect(sample(text, 'modelwatch_model_quality', { ...M, metric: 'accuracy', ...w, segment: 'plan=pro' })).toBe(0.75);
    expect(sample(text, 'modelwatch_model_quality', { ...M, metric: 'accuracy', ...w, segment: 'plan=free' })).toBe(0.75);
    const fair = (metric: string) => sample(text, 'modelwatch_fairness', { ...M, attribute: 'group', metric, ...w });
    expect(fair('demographic_parity_difference')).toBe(0.25 - 0.75);
    expect(fair('disparate_impact_ratio')).toBeCloseTo(1 / 3, 12);
    expect(fair('equal_opportunity_difference')).toBe(0.5 - 1);
  });

  it('compares best and worst groups without a privileged value (fairlearn between-groups)', () => {
    const yTrue = [1, 1, 0, 1, 1, 0, 1, 0];
    const yPred = [1, 1, 1, 1, 0, 0, 0, 0];
    const groups = [0, 0, 0, 1, 1, 1, 2, 2];
    const r = groupFairness(yTrue, yPred, groups, 1);
    // Selection rates 1, 1/3, 0; TPRs 1, 1/2, 0.
    expect(r.demographic_parity_difference).toBe(1);
    expect(r.disparate_impact_ratio).toBe(0);
    expect(r.equal_opportunity_difference).toBe(1);
  });
});
