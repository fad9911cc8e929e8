/**
 * HTTP ingest end to end: NDJSON and JSON arrays on /v1/records and /v1/labels, KServe's payload
 * logger posting CloudEvents in binary and structured mode, body limits, malformed bodies and the
 * bearer token — each counted in the self-metrics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Modelwatch } from '../../src/main.js';
import { waitFor } from '../helpers/prometheus.js';
import { startSidecar } from '../helpers/sidecar.js';

let mw: Modelwatch;
const TOKEN = 'tok-123';
const auth = { authorization: `Bearer ${TOKEN}` };

beforeAll(async () => {
  mw = await startSidecar({
    pairing: { ttl: '1s' },
    ingest: { bearer_token: TOKEN, max_body_bytes: '2KiB', kserve_format: { preset: 'kserve', feature_names: ['sepal_length', 'sepal_width', 'petal_length', 'petal_width'] } },
    resources: { enabled: false },
  });
});
afterAll(() => mw.stop());

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${mw.url}${path}`, { method: 'POST', body, headers: { ...auth, ...headers } });
const metrics = async () => (await fetch(`${mw.url}/metrics`)).text();

describe('HTTP ingest', () => {
  it('accepts NDJSON and JSON arrays of records', async () => {
    const rec = (i: number) => ({ request_id: `r${i}`, model: 'web', model_version: '1', features: { a: i }, latency_ms: 10, status: 200 });
    const nd = await post('/v1/records', `${JSON.stringify(rec(1))}\n${JSON.stringify(rec(2))}\n`);
    expect(nd.status).toBe(200);
    expect(await nd.json()).toEqual({ accepted: 2, rejected: [] });
    const arr = await post('/v1/records', JSON.stringify([rec(3), rec(4), rec(5)]), { 'content-type': 'application/json' });
    expect(await arr.json()).toMatchObject({ accepted: 3 });
    expect(await metrics()).toContain('modelwatch_requests_total{model="web",version="1",outcome="success",code="2xx"} 5');
  });

  it('answers 400 naming the malformed line, still taking the good ones, and counts it', async () => {
    const res = await post('/v1/records', `${JSON.stringify({ model: 'web', model_version: '1', features: { a: 1 }, status: 200 })}\n{oops\n`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; accepted: number };
    expect(body.error).toBe('line 2: not valid JSON');
    expect(body.accepted).toBe(1);
    expect(await metrics()).toContain('modelwatch_log_line_errors_total{source="http",reason="invalid_json"} 1');
  });

  it('answers 413 past the body limit and 401 without the right token', async () => {
    expect((await post('/v1/records', 'x'.repeat(4096))).status).toBe(413);
    expect((await post('/v1/records', '{}', { authorization: 'Bearer wrong' })).status).toBe(401);
    expect((await fetch(`${mw.url}/v1/records`, { method: 'POST', body: '{}' })).status).toBe(401);
  });

  it('pairs KServe CloudEvents posted in binary mode (ce-* headers) by ce-id', async () => {
    const ce = (type: string, time: string) => ({
      'ce-specversion': '1.0',
      'ce-id': 'evt-1',
      'ce-source': 'http://localhost:9081/',
      'ce-type': `org.kubeflow.serving.inference.${type}`,
      'ce-time': time,
      'ce-inferenceservicename': 'sklearn-iris',
      'ce-component': 'predictor',
      'content-type': 'application/json',
    });
    const req = await post('/v1/cloudevents', JSON.stringify({ instances: [[6.8, 2.8, 4.8, 1.4]] }), ce('request', '2026-01-01T00:00:00.000Z'));
    expect(req.status).toBe(202);
    expect(await metrics()).toContain('modelwatch_pending_requests{model="sklearn-iris"} 1');
    const res = await post('/', JSON.stringify({ predictions: [1] }), ce('response', '2026-01-01T00:00:00.040Z'));
    expect(res.status).toBe(202);
    const text = await metrics();
    expect(text).toContain('modelwatch_requests_total{model="sklearn-iris",version="unknown",outcome="success",code="2xx"} 1');
    // Latency from the two event times: 40 ms.
    expect(text).toContain('modelwatch_request_duration_seconds_bucket{model="sklearn-iris",version="unknown",le="0.025"} 0');
    expect(text).toContain('modelwatch_request_duration_seconds_bucket{model="sklearn-iris",version="unknown",le="0.05"} 1');
    expect(text).toContain('modelwatch_pending_requests{model="sklearn-iris"} 0');
  });

  it('accepts structured-mode CloudEvents', async () => {
    const event = (type: string) => ({
      specversion: '1.0',
      id: 'evt-2',
      source: 'http://localhost:9081/',
      type: `org.kubeflow.serving.inference.${type}`,
      time: '2026-01-01T00:00:01Z',
      inferenceservicename: 'sklearn-iris',
      component: 'predictor',
      datacontenttype: 'application/json',
      data: type === 'request' ? { instances: [[5.1, 3.5, 1.4, 0.2]] } : { predictions: [0] },
    });
    for (const t of ['request', 'response']) {
      expect((await post('/v1/cloudevents', JSON.stringify(event(t)), { 'content-type': 'application/cloudevents+json' })).status).toBe(202);
    }
    expect(await metrics()).toContain('modelwatch_requests_total{model="sklearn-iris",version="unknown",outcome="success",code="2xx"} 2');
  });

  it('counts a request that never got its response, and a response without its request', async () => {
    const headers = (id: string, type: string) => ({
      'ce-specversion': '1.0',
      'ce-id': id,
      'ce-source': 'http://localhost:9081/',
      'ce-type': `org.kubeflow.serving.inference.${type}`,
      'ce-time': '2026-01-01T00:00:05Z',
      'ce-inferenceservicename': 'sklearn-iris',
      'ce-component': 'predictor',
      'content-type': 'application/json',
    });
    await post('/v1/cloudevents', JSON.stringify({ instances: [[1, 2, 3, 4]] }), headers('lonely-request', 'request'));
    await post('/v1/cloudevents', JSON.stringify({ predictions: [2] }), headers('lonely-response', 'response'));
    const text = await waitFor('both halves expired', async () => {
      const t = await metrics();
      return /modelwatch_unpaired_total\{model="sklearn-iris",outcome="expired"\} 1/.test(t) && /outcome="unmatched_response"\} 1/.test(t) ? t : undefined;
    }, 10_000, 200);
    expect(text).toContain('modelwatch_pending_requests{model="sklearn-iris"} 0');
  });

  it('accepts labels on /v1/labels', async () => {
    const res = await post('/v1/labels', `${JSON.stringify({ request_id: 'r1', label: 1, timestamp: '2026-01-01T00:00:00Z' })}\n`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ accepted: 1, rejected: [] });
  });
});
