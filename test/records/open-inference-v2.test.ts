import { describe, expect, it } from 'vitest';
import { NOW_MS, fixtureLines, harness } from './mapper-harness.js';

const FRAUD = ['amount', 'is_foreign', 'is_online', 'hour', 'risk'];

describe('open-inference-v2 preset', () => {
  it('maps the Triton-style fixture: combined lines, a batch, an error, and split halves out of order', () => {
    const { map, mapper } = harness({ preset: 'open-inference-v2', feature_names: FRAUD });
    const results = fixtureLines('oip-triton.jsonl').map(map);
    expect(results.map((r) => r.outcome)).toEqual(['ok', 'ok', 'ok', 'pending', 'pending', 'ok', 'ok']);

    expect(results[0].records).toEqual([
      {
        timestamp: 1715686802.118245,
        requestId: 'req-000101',
        model: 'fraud-xgb',
        version: '3',
        features: { amount: 182.5, is_foreign: 0, is_online: 1, hour: 14, risk: 0.37 },
        prediction: 0,
        scores: [0.9731, 0.0269],
        latencySeconds: expect.closeTo(0.00384, 9),
        status: 200,
      },
    ]);
    expect(results[1].records.map((r) => [r.requestId, r.prediction, r.features.amount])).toEqual([
      ['req-000102#0', 1, 12],
      ['req-000102#1', 0, 4410],
    ]);
    expect(results[2].records[0]).toMatchObject({ status: 400, error: 'error', latencySeconds: 0.00041 });
    expect(results[2].records[0].prediction).toBeUndefined();

    // c0ffee-17: request then response; c0ffee-18: response first, then its request.
    expect(results[5].records).toEqual([
      {
        timestamp: expect.closeTo(1715686803.000412, 6),
        requestId: 'c0ffee-17',
        model: 'income-lgbm',
        version: '1',
        features: { age: 39, workclass: 'State-gov', hours_per_week: 40 },
        prediction: '<=50K',
        latencySeconds: expect.closeTo(0.005978, 6),
        status: 200,
      },
    ]);
    expect(results[6].records[0]).toMatchObject({
      requestId: 'c0ffee-18',
      features: { age: 52, workclass: 'Self-emp-inc', hours_per_week: 60 },
      prediction: '>50K',
      latencySeconds: expect.closeTo(0.008815, 6),
    });
    expect(mapper.pairStats().get('income-lgbm')?.pending).toBe(0);
  });

  it('accepts a combined line without response or timestamp, ids taken from the body', () => {
    const { map } = harness({ preset: 'open-inference-v2' });
    const { outcome, records } = map({ request: { id: 'inner', inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [2] }] } });
    expect(outcome).toBe('ok');
    expect(records).toEqual([{ timestamp: NOW_MS / 1000, requestId: 'inner', model: 'default-model', version: 'default-version', features: { f0: 2 } }]);
  });

  it('lets a response line carry its own latency_ms and status', () => {
    const { map } = harness({ preset: 'open-inference-v2' });
    map({ id: 'q', type: 'request', body: { inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] } });
    const { records } = map({ id: 'q', type: 'response', latency_ms: 12, status: '503', error: 'OVERLOADED', body: { outputs: [{ name: 'y', shape: [1], datatype: 'FP32', data: [0] }] } });
    expect(records[0]).toMatchObject({ latencySeconds: 0.012, status: 503, error: 'overloaded' });
  });

  it('expires split halves after the TTL and evicts at max_pending', () => {
    const { map, mapper, clock } = harness({ preset: 'open-inference-v2' }, { ttl: 5, max_pending: 2 });
    const request = (id: string) => ({ id, type: 'request', model_name: 'm', body: { inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] } });
    map(request('a'));
    map(request('b'));
    map(request('c'));
    expect(mapper.pairStats().get('m')).toEqual({ pending: 2, unmatched_response: 0, expired: 0, evicted: 1 });
    clock.advance(5_000);
    mapper.expire(clock.now());
    expect(mapper.pairStats().get('m')).toEqual({ pending: 0, unmatched_response: 0, expired: 2, evicted: 1 });
    expect([...mapper.pendingByModel()]).toEqual([['m', 0]]);
  });

  it('gives short reasons for lines it cannot use', () => {
    const { map } = harness({ preset: 'open-inference-v2' });
    const body = { inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] };
    expect(map(null).outcome).toEqual({ error: 'not_object' });
    expect(map({ id: 'a', type: 'infer', body }).outcome).toEqual({ error: 'unknown_event_type' });
    expect(map({ type: 'request', body }).outcome).toEqual({ error: 'missing_request_id' });
    expect(map({ id: 'a', type: 'request', timestamp: 'later', body }).outcome).toEqual({ error: 'bad_timestamp' });
    expect(map({ id: 'a', type: 'request', body: { parameters: {} } }).outcome).toEqual({ error: 'missing_features' });
    expect(map({ id: 'a', type: 'response', body: 'done' }).outcome).toEqual({ error: 'bad_body' });
    expect(map({ id: 'a', response: { outputs: [] } }).outcome).toEqual({ error: 'missing_features' });
    expect(map({ id: 'a', hello: 1 }).outcome).toEqual({ error: 'bad_body' });
    expect(map({ id: 'a', request: body, response: { outputs: [{ name: 'y', shape: [2], datatype: 'FP32', data: [1, 2] }] } }).outcome).toEqual({
      error: 'batch_mismatch',
    });
  });
});
