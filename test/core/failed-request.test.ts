import { describe, expect, it } from 'vitest';
import { isFailedRequest } from '../../src/core/failed-request.js';
import { NO_FEATURES, type ModelRecord } from '../../src/records/model-record.js';
import { harness } from '../records/mapper-harness.js';

describe('isFailedRequest: one definition for traffic, drift and model quality', () => {
  it.each([
    ['no error, 200', 200, undefined, false],
    ['error ""', 200, '', false],
    ['error null', 200, null, false],
    ['error text', 200, 'timeout', true],
    ['status 499 (client closed)', 499, undefined, true],
    ['status 500', 500, undefined, true],
    ['status 399', 399, undefined, false],
    ['no status, no error', undefined, undefined, false],
  ] as const)('%s', (_name, status, error, failed) => {
    expect(isFailedRequest(status, error)).toBe(failed);
  });

  it('a logged line with error "" or null maps to a request that did not fail', () => {
    const { map } = harness({});
    for (const error of ['""', 'null']) {
      const { records } = map(JSON.parse(`{"features":{"x":1},"prediction":1,"status":200,"error":${error}}`));
      expect(records).toHaveLength(1);
      expect(isFailedRequest(records[0].status, records[0].error)).toBe(false);
    }
    const { records } = map({ features: { x: 1 }, prediction: 1, status: 499 });
    expect(isFailedRequest(records[0].status, records[0].error)).toBe(true);
  });
});

describe('a failed request logged without features is a request, not a line error', () => {
  const fields = { fields: { request_id: 'id', status: 'code', latency: 'ms' } };

  it.each([
    ['a 400 with an error message', '{"id":"2","error":"JSONDecodeError: Expecting value","code":400,"ms":0.087}', 400, 'error'],
    ['a 503 without an error field', '{"id":"3","code":503,"ms":1.5}', 503, undefined],
    ['a timeout token with no status', '{"id":"4","error":"timeout"}', undefined, 'timeout'],
    ['features: null on a 500', '{"id":"5","features":null,"code":500}', 500, undefined],
  ] as const)('%s (parsed and scanned alike)', (_name, line, status, error) => {
    const { map, mapper } = harness(fields);
    const parsed = map(JSON.parse(line));
    const scanned: ModelRecord[] = [];
    const scannedOutcome = mapper.mapLine!(line, scanned);
    for (const [outcome, records] of [[parsed.outcome, parsed.records], [scannedOutcome, scanned]] as const) {
      expect(outcome).toBe('ok');
      expect(records).toHaveLength(1);
      expect(records[0].features).toBe(NO_FEATURES);
      expect(records[0].status).toBe(status);
      expect(records[0].error).toBe(error);
      expect(isFailedRequest(records[0].status, records[0].error)).toBe(true);
    }
  });

  it('a line without features that did not fail is still missing_features', () => {
    const { map } = harness(fields);
    expect(map({ id: '6', code: 200 }).outcome).toEqual({ error: 'missing_features' });
    expect(map({ id: '7', error: '' }).outcome).toEqual({ error: 'missing_features' });
  });

  it('open-inference-v2: a one-line call that failed before its request was logged', () => {
    const { map } = harness({ preset: 'open-inference-v2' });
    const { outcome, records } = map({ id: 'r-9', model_name: 'fraud', status: 503, latency_ms: 30000 });
    expect(outcome).toBe('ok');
    expect(records[0]).toMatchObject({ requestId: 'r-9', model: 'fraud', status: 503, latencySeconds: 30 });
    expect(records[0].features).toBe(NO_FEATURES);
    expect(map({ id: 'r-10', status: 200 }).outcome).toEqual({ error: 'bad_body' });
  });
});
