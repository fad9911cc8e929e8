import { describe, expect, it } from 'vitest';
import { cloudEventFromBinary } from '../../src/records/presets/kserve.js';
import { fixtureLines, harness } from './mapper-harness.js';

const IRIS = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'];
const REQUEST = 'org.kubeflow.serving.inference.request';
const RESPONSE = 'org.kubeflow.serving.inference.response';

function event(type: string, id: string, data: unknown, extra: Record<string, unknown> = {}) {
  return {
    specversion: '1.0',
    id,
    type,
    source: 'http://localhost:9081/',
    time: '2024-05-14T09:21:37Z',
    inferenceservicename: 'svc',
    namespace: 'default',
    component: 'predictor',
    endpoint: '',
    datacontenttype: 'application/json',
    data,
    ...extra,
  };
}

describe('kserve preset, v1 protocol', () => {
  it('pairs the sklearn-iris fixture, one record per instance, in either arrival order', () => {
    const { map, mapper } = harness({ preset: 'kserve', feature_names: IRIS });
    const results = fixtureLines('kserve-v1-iris.jsonl').map(map);
    expect(results.map((r) => r.outcome)).toEqual(['pending', 'ok', 'pending', 'ok']);
    const batch = results[1].records;
    expect(batch).toHaveLength(2);
    expect(batch[0]).toEqual({
      timestamp: expect.closeTo(1715678497.512931, 6),
      requestId: '6a0a2c3e-4f6b-4b34-9a0c-9f1a2d3b4c5d#0',
      model: 'sklearn-iris',
      version: 'default-version',
      features: { sepal_length: 6.8, sepal_width: 2.8, petal_length: 4.8, petal_width: 1.4 },
      prediction: 1,
      latencySeconds: expect.closeTo(0.0042, 6),
      status: 200,
    });
    expect(batch[1].requestId).toBe('6a0a2c3e-4f6b-4b34-9a0c-9f1a2d3b4c5d#1');
    expect(batch[1].features.petal_width).toBe(1.6);
    // Response logged before its request: still joined, request time and unsuffixed id.
    const [single] = results[3].records;
    expect(single).toMatchObject({
      requestId: 'd2c91f07-8a47-4c7e-b1d5-0e3f6a9b8c21',
      timestamp: expect.closeTo(1715678498.101114, 6),
      latencySeconds: expect.closeTo(0.003288215, 6),
      prediction: 0,
    });
    expect(mapper.pairStats().get('sklearn-iris')).toEqual({ pending: 0, unmatched_response: 0, expired: 0, evicted: 0 });
  });

  it('names object instances by their keys and positional ones f<i> without feature_names', () => {
    const { map } = harness({ preset: 'kserve' });
    map(event(REQUEST, 'a', { instances: [{ age: 39, job: 'clerk' }, [1, 2]] }));
    const { records } = map(event(RESPONSE, 'a', { predictions: [0, 1] }));
    expect(records.map((r) => r.features)).toEqual([{ age: 39, job: 'clerk' }, { f0: 1, f1: 2 }]);
  });

  it('decodes data given as a JSON string or as data_base64', () => {
    const { map } = harness({ preset: 'kserve' });
    expect(map(event(REQUEST, 's', '{"instances":[[4]]}')).outcome).toBe('pending');
    const base64 = Buffer.from('{"predictions":[9]}').toString('base64');
    const { records } = map({ ...event(RESPONSE, 's', undefined), data_base64: base64 });
    expect(records).toEqual([expect.objectContaining({ features: { f0: 4 }, prediction: 9, requestId: 's' })]);
  });

  it('reads probability vectors and objects in predictions', () => {
    const { map } = harness({ preset: 'kserve' });
    map(event(REQUEST, 'p', { instances: [[1], [2]] }));
    const { records } = map(event(RESPONSE, 'p', { predictions: [[0.2, 0.8], { prediction: 'no', scores: [0.6, 0.4] }] }));
    expect(records.map((r) => [r.prediction, r.scores])).toEqual([
      [1, [0.2, 0.8]],
      ['no', [0.6, 0.4]],
    ]);
  });

  it('reads probabilities keyed by class in the configured class order', () => {
    const { map } = harness({ preset: 'kserve', fields: { scores: 'probabilities' } }, undefined, ['a', 'b', 'c']);
    map(event(REQUEST, 'k', { instances: [[1]] }));
    const { records } = map(event(RESPONSE, 'k', { predictions: [{ prediction: 'b', probabilities: { c: 0.3, b: 0.6, a: 0.1 } }] }));
    expect(records.map((r) => [r.prediction, r.scores])).toEqual([['b', [0.1, 0.6, 0.3]]]);
  });

  it('marks a failed response with its error and no status', () => {
    const { map } = harness({ preset: 'kserve' });
    map(event(REQUEST, 'e', { instances: [[1, 2]] }));
    const { outcome, records } = map(event(RESPONSE, 'e', { error: 'Failed to predict: shapes (1,2) and (4,) not aligned' }));
    expect(outcome).toBe('ok');
    expect(records[0]).toMatchObject({ error: 'error', features: { f0: 1, f1: 2 } });
    expect(records[0].status).toBeUndefined();
    expect(records[0].prediction).toBeUndefined();
  });

  it('rejects a response whose batch size differs from its request', () => {
    const { map } = harness({ preset: 'kserve' });
    map(event(REQUEST, 'b', { instances: [[1], [2]] }));
    expect(map(event(RESPONSE, 'b', { predictions: [1] }))).toEqual({ outcome: { error: 'batch_mismatch' }, records: [] });
  });

  it('keeps transformer and predictor halves apart although they share the id', () => {
    const { map } = harness({ preset: 'kserve' });
    expect(map(event(REQUEST, 'same', { instances: [['raw text']] }, { component: 'transformer' })).outcome).toBe('pending');
    expect(map(event(REQUEST, 'same', { instances: [[0.1, 0.2]] })).outcome).toBe('pending');
    const { records } = map(event(RESPONSE, 'same', { predictions: [3] }));
    expect(records[0].features).toEqual({ f0: 0.1, f1: 0.2 });
  });

  it('gives short reasons for lines it cannot use', () => {
    const { map } = harness({ preset: 'kserve' });
    expect(map(42).outcome).toEqual({ error: 'not_object' });
    expect(map({ features: { a: 1 } }).outcome).toEqual({ error: 'not_cloud_event' });
    expect(map(event('com.example.other', 'x', {})).outcome).toEqual({ error: 'unknown_event_type' });
    expect(map(event(REQUEST, 'x', {}, { time: 'noon' })).outcome).toEqual({ error: 'bad_timestamp' });
    expect(map({ ...event(REQUEST, 'x', {}), id: undefined }).outcome).toEqual({ error: 'missing_request_id' });
    expect(map(event(REQUEST, 'x', { text: 'hi' })).outcome).toEqual({ error: 'missing_features' });
    expect(map(event(REQUEST, 'x', '{not json')).outcome).toEqual({ error: 'bad_body' });
    expect(map({ ...event(REQUEST, 'x', undefined), data_base64: '!!!' }).outcome).toEqual({ error: 'bad_body' });
    expect(map(event(RESPONSE, 'x', { result: 1 })).outcome).toEqual({ error: 'bad_body' });
  });

  it('expires an unanswered request and counts it for its InferenceService', () => {
    const { map, mapper, clock } = harness({ preset: 'kserve' }, { ttl: 30, max_pending: 10 });
    map(event(REQUEST, 'lost', { instances: [[1]] }));
    expect([...mapper.pendingByModel()]).toEqual([['svc', 1]]);
    clock.advance(30_000);
    mapper.expire(clock.now());
    expect(mapper.pairStats().get('svc')).toEqual({ pending: 0, unmatched_response: 0, expired: 1, evicted: 0 });
    expect(map(event(RESPONSE, 'lost', { predictions: [1] })).outcome).toBe('pending');
    clock.advance(30_000);
    mapper.expire(clock.now());
    expect(mapper.pairStats().get('svc')).toMatchObject({ unmatched_response: 1, pending: 0 });
  });
});

describe('kserve preset, v2 protocol', () => {
  it('maps the v2 iris fixture: a [2,4] tensor, scores from predict_proba, base64 column tensors', () => {
    const { map } = harness({ preset: 'kserve', feature_names: IRIS });
    const results = fixtureLines('kserve-v2-iris.jsonl').map(map);
    expect(results.map((r) => r.outcome)).toEqual(['pending', 'ok', 'pending', 'ok']);
    expect(results[1].records).toEqual([
      {
        timestamp: 1715680931.25,
        requestId: '3f1e9b2a-71c4-4d0e-8f5a-2b6c9d4e1a07#0',
        model: 'sklearn-v2-iris',
        version: 'v1.2.0',
        features: { sepal_length: 6.8, sepal_width: 2.8, petal_length: 4.8, petal_width: 1.4 },
        prediction: 1,
        scores: [0.0011, 0.8722, 0.1267],
        latencySeconds: expect.closeTo(0.0085, 6),
        status: 200,
      },
      expect.objectContaining({ prediction: 1, scores: [0.0134, 0.9301, 0.0565] }),
    ]);
    expect(results[3].records).toEqual([
      expect.objectContaining({
        requestId: '8b7d0c4f-2e19-4a6b-9c3d-5f0e1a2b3c4d',
        features: { sepal_length: 5.1, sepal_width: 3.5, petal_length: 1.4, petal_width: 0.2 },
        prediction: 0,
        version: 'v1.2.0',
      }),
    ]);
  });

  it('uses input_tensor and output_tensor when named, f<i> for unnamed columns', () => {
    const { map } = harness({ preset: 'kserve', input_tensor: 'dense', output_tensor: 'label' });
    map(
      event(REQUEST, 't', {
        inputs: [
          { name: 'mask', shape: [1, 2], datatype: 'BOOL', data: [true, false] },
          { name: 'dense', shape: [1, 3], datatype: 'FP32', data: [0.5, 1.5, 2.5] },
        ],
      }),
    );
    const { records } = map(
      event(RESPONSE, 't', {
        model_name: 'other-name',
        outputs: [
          { name: 'logits', shape: [1, 2], datatype: 'FP32', data: [3, -1] },
          { name: 'label', shape: [1], datatype: 'BYTES', data: ['cat'] },
        ],
      }),
    );
    expect(records[0]).toMatchObject({ model: 'svc', features: { f0: 0.5, f1: 1.5, f2: 2.5 }, prediction: 'cat' });
    expect(records[0].scores).toBeUndefined();
  });

  it('takes the model name from v2 model_name when the event names no InferenceService', () => {
    const { map } = harness({ preset: 'kserve' });
    const noService = { inferenceservicename: undefined };
    map(event(REQUEST, 'n', { inputs: [{ name: 'x', shape: [1, 1], datatype: 'FP32', data: [1] }] }, noService));
    const { records } = map(event(RESPONSE, 'n', { model_name: 'm2', model_version: '7', outputs: [{ name: 'y', shape: [1], datatype: 'FP32', data: [0.5] }] }, noService));
    expect(records[0]).toMatchObject({ model: 'm2', version: '7', prediction: 0.5, features: { f0: 1 } });
  });

  it('rejects tensors whose shape and data disagree, or a named tensor that is absent', () => {
    const { map } = harness({ preset: 'kserve' });
    const bad = (inputs: unknown) => map(event(REQUEST, 'x', { inputs })).outcome;
    expect(bad([{ name: 'x', shape: [2, 2], datatype: 'FP32', data: [1, 2, 3] }])).toEqual({ error: 'bad_tensor' });
    expect(bad([{ name: 'x', shape: [2, -1], datatype: 'FP32', data: [1, 2] }])).toEqual({ error: 'bad_tensor' });
    expect(bad([{ name: 'x', shape: [1, 2], datatype: 'FP32', data: [[[1, 2]]] }])).toEqual({ error: 'bad_tensor' });
    expect(bad([{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }, { shape: [1] }])).toEqual({ error: 'bad_tensor' });
    const named = harness({ preset: 'kserve', input_tensor: 'nope' });
    expect(named.map(event(REQUEST, 'x', { inputs: [{ name: 'x', shape: [1], datatype: 'FP32', data: [1] }] })).outcome).toEqual({
      error: 'bad_tensor',
    });
  });
});

describe('cloudEventFromBinary', () => {
  it('builds the structured event from ce- headers and a parsed body, and maps like one', () => {
    const headers = {
      'ce-specversion': '1.0',
      'ce-id': '0b5a6f1e-6b3f-4c1e-9a77-1f0d2e3c4b5a',
      'ce-type': REQUEST,
      'ce-source': 'http://localhost:9081/',
      'ce-time': '2024-05-14T09:21:37.5Z',
      'ce-inferenceservicename': 'sklearn-iris',
      'ce-namespace': 'default',
      'ce-component': 'predictor',
      'ce-endpoint': '',
      'Content-Type': 'application/json',
      'content-length': '45',
      host: 'modelwatch:9847',
      'x-forwarded-for': ['10.0.0.1', '10.0.0.2'],
    };
    const body = { instances: [[6.8, 2.8, 4.8, 1.4]] };
    const built = cloudEventFromBinary(headers, body);
    expect(built).toEqual({
      specversion: '1.0',
      id: '0b5a6f1e-6b3f-4c1e-9a77-1f0d2e3c4b5a',
      type: REQUEST,
      source: 'http://localhost:9081/',
      time: '2024-05-14T09:21:37.5Z',
      inferenceservicename: 'sklearn-iris',
      namespace: 'default',
      component: 'predictor',
      endpoint: '',
      datacontenttype: 'application/json',
      data: body,
    });
    const { map } = harness({ preset: 'kserve' });
    expect(map(built).outcome).toBe('pending');
  });

  it('percent-decodes header values and keeps the first of repeated headers', () => {
    const built = cloudEventFromBinary({ 'CE-ID': ['a%20b', 'c'], 'ce-source': 'bad%zz' }, undefined);
    expect(built).toEqual({ id: 'a b', source: 'bad%zz' });
  });

  it('parses a JSON byte body, and keeps other bytes as data_base64', () => {
    const json = cloudEventFromBinary({ 'content-type': 'application/json; charset=utf-8' }, Buffer.from('{"instances":[[1]]}'));
    expect(json.data).toEqual({ instances: [[1]] });
    const bytes = cloudEventFromBinary({ 'content-type': 'application/octet-stream' }, new Uint8Array([1, 2, 255]));
    expect(bytes.data_base64).toBe(Buffer.from([1, 2, 255]).toString('base64'));
    const text = cloudEventFromBinary({ 'content-type': 'application/json' }, '{"predictions":[2]}');
    expect(text.data).toEqual({ predictions: [2] });
  });
});
