import { describe, expect, it } from 'vitest';
import { DEFAULTS, NOW_MS, fixtureLines, harness } from './mapper-harness.js';
import type { ModelRecord } from '../../src/records/model-record.js';

describe('generic preset', () => {
  it('maps the churn fixture with its mixed timestamp, number and status shapes', () => {
    const { map } = harness({});
    const results = fixtureLines('generic-churn.jsonl').map(map);
    expect(results.map((r) => r.outcome)).toEqual(['ok', 'ok', 'ok', 'ok']);
    const [a, b, c, d] = results.map((r) => r.records[0]);
    expect(a).toEqual({
      timestamp: 1715677200.25,
      requestId: 'ch-0001',
      model: 'churn',
      version: '2024-05-01',
      features: { tenure_months: 12, plan: 'pro', monthly_charges: 49.5, support_tickets: 0, autopay: true },
      prediction: 0,
      scores: [0.12],
      latencySeconds: 0.0087,
      status: 200,
    });
    expect(b).toMatchObject({ timestamp: 1715677201.5, latencySeconds: 0.0112, status: 200, prediction: 1, scores: [0.81] });
    expect(c).toMatchObject({ timestamp: 1715677202.75, version: DEFAULTS.version, scores: [0.93, 0.07] });
    expect(c.features).toEqual({ tenure_months: 40, plan: null, monthly_charges: 89.99, support_tickets: 1 });
    expect(d).toMatchObject({ timestamp: 1715677203, status: 503, error: 'timeout', latencySeconds: 0.25 });
    expect(d.prediction).toBeUndefined();
  });

  it('follows configured paths, pointers and latency units', () => {
    const { map } = harness({
      fields: {
        timestamp: 'meta.ts',
        request_id: '/meta/req~1id',
        model: 'meta.model.name',
        version: 'meta.model.rev',
        features: 'input',
        prediction: 'output.0',
        scores: 'output.1',
        latency: 'meta.took',
        latency_unit: 'us',
        status: 'meta.code',
        error: 'meta.err',
      },
    });
    const { outcome, records } = map({
      meta: { ts: 1715677200123, 'req/id': 77, model: { name: 'm', rev: 4 }, took: 2500, code: '201' },
      input: { x: 1 },
      output: ['yes', [0.2, 0.8]],
    });
    expect(outcome).toBe('ok');
    expect(records).toEqual([
      {
        timestamp: 1715677200.123,
        requestId: '77',
        model: 'm',
        version: '4',
        features: { x: 1 },
        prediction: 'yes',
        scores: [0.2, 0.8],
        latencySeconds: 0.0025,
        status: 201,
      },
    ]);
  });

  it('names array features by feature_names, then f<i>', () => {
    const { map } = harness({ feature_names: ['a', 'b'] });
    const { records } = map({ features: [1, 'x', false, { nested: 1 }] });
    expect(records[0].features).toEqual({ a: 1, b: 'x', f2: false });
  });

  it('fills defaults and the current time when fields are absent', () => {
    const { map } = harness({});
    const { records } = map({ features: {} });
    expect(records).toEqual([{ timestamp: NOW_MS / 1000, model: DEFAULTS.model, version: DEFAULTS.version, features: {} }]);
  });

  it('reads a score vector in the prediction field as scores and their argmax', () => {
    const { map } = harness({});
    expect(map({ features: {}, prediction: [0.1, 0.7, 0.2] }).records[0]).toMatchObject({ prediction: 1, scores: [0.1, 0.7, 0.2] });
    expect(map({ features: {}, prediction: true }).records[0].prediction).toBe(1);
  });

  it('keeps only short error codes; free text becomes "error"', () => {
    const { map } = harness({});
    expect(map({ features: {}, error: 'OOM' }).records[0].error).toBe('oom');
    expect(map({ features: {}, error: 'CUDA out of memory. Tried to allocate 2.00 GiB' }).records[0].error).toBe('error');
    expect(map({ features: {}, error: { code: 5 } }).records[0].error).toBe('error');
    expect(map({ features: {}, error: null }).records[0].error).toBeUndefined();
  });

  it('drops unusable latency and status values instead of failing the record', () => {
    const { map } = harness({});
    const r = map({ features: {}, latency_ms: -3, status: 'OK' }).records[0];
    expect(r.latencySeconds).toBeUndefined();
    expect(r.status).toBeUndefined();
  });

  it('reports short reasons and appends nothing on error', () => {
    const { map } = harness({});
    expect(map([1, 2])).toEqual({ outcome: { error: 'not_object' }, records: [] });
    expect(map('text')).toEqual({ outcome: { error: 'not_object' }, records: [] });
    expect(map({ prediction: 1 })).toEqual({ outcome: { error: 'missing_features' }, records: [] });
    expect(map({ features: 3 })).toEqual({ outcome: { error: 'missing_features' }, records: [] });
    expect(map({ features: {}, timestamp: 'soon' })).toEqual({ outcome: { error: 'bad_timestamp' }, records: [] });
  });
});

describe('generic preset: multiclass score shapes', () => {
  const CLASSES = ['setosa', 'versicolor', 'virginica'];
  const line = (probabilities: unknown) => ({ timestamp: 1715677200, features: { x: 1 }, prediction: 'versicolor', probabilities });

  it('reads probabilities keyed by class in the configured class order, by JSON.parse and by the scanner alike', () => {
    const { mapper, map } = harness({ fields: { scores: 'probabilities' } }, undefined, CLASSES);
    const value = line({ virginica: 0.2, setosa: 0.1, versicolor: 0.7, extra: 5 });
    expect(map(value).records[0].scores).toEqual([0.1, 0.7, 0.2]);
    const scanned: ModelRecord[] = [];
    expect(mapper.mapLine?.(JSON.stringify(value), scanned)).toBe('ok');
    expect(scanned[0].scores).toEqual([0.1, 0.7, 0.2]);
    // A vector is read as before.
    expect(map(line([0.1, 0.7, 0.2])).records[0].scores).toEqual([0.1, 0.7, 0.2]);
  });

  it('gives no scores for an object that lacks a configured class, or without configured classes', () => {
    expect(harness({ fields: { scores: 'probabilities' } }, undefined, CLASSES).map(line({ setosa: 0.3, versicolor: 0.7 })).records[0].scores).toBeUndefined();
    expect(harness({ fields: { scores: 'probabilities' } }).map(line({ setosa: 0.1, versicolor: 0.7, virginica: 0.2 })).records[0].scores).toBeUndefined();
  });
});
