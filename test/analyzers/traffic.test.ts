import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { configSchema } from '../../src/config/schema.js';
import { TrafficAnalyzer } from '../../src/analyzers/traffic.js';
import { CardinalityLedger } from '../../src/metrics/cardinality.js';
import { ManualClock } from '../../src/core/clock.js';
import type { ModelRecord } from '../../src/records/model-record.js';

function setup() {
  const registry = new Registry();
  const config = configSchema.parse({ metrics: { latency_buckets: [0.01, 0.1, 1] } });
  const cardinality = new CardinalityLedger();
  const t = new TrafficAnalyzer({ config, registry, clock: new ManualClock(), logger: pino({ level: 'silent' }), cardinality });
  return { registry, t, cardinality };
}

const rec = (over: Partial<ModelRecord>): ModelRecord => ({ timestamp: 1, model: 'm', version: 'v1', features: {}, ...over });

describe('TrafficAnalyzer', () => {
  it('counts requests by outcome and status class, latency and error reasons', async () => {
    const { registry, t } = setup();
    t.onRecord(rec({ status: 200, latencySeconds: 0.005 }));
    t.onRecord(rec({ status: 200, latencySeconds: 0.05 }));
    t.onRecord(rec({ status: 503, error: 'worker_overloaded', latencySeconds: 2 }));
    t.onRecord(rec({ status: 404 }));
    t.onRecord(rec({}));
    const text = await registry.metrics();
    expect(text).toContain('modelwatch_requests_total{model="m",version="v1",outcome="success",code="2xx"} 2');
    expect(text).toContain('modelwatch_requests_total{model="m",version="v1",outcome="error",code="5xx"} 1');
    expect(text).toContain('modelwatch_requests_total{model="m",version="v1",outcome="error",code="4xx"} 1');
    expect(text).toContain('modelwatch_requests_total{model="m",version="v1",outcome="success",code="unknown"} 1');
    expect(text).toContain('modelwatch_request_duration_seconds_bucket{model="m",version="v1",le="0.01"} 1');
    expect(text).toContain('modelwatch_request_duration_seconds_bucket{model="m",version="v1",le="1"} 2');
    expect(text).toContain('modelwatch_request_duration_seconds_count{model="m",version="v1"} 3');
    expect(text).toContain('modelwatch_prediction_errors_total{model="m",version="v1",reason="worker_overloaded"} 1');
    expect(text).toContain('modelwatch_prediction_errors_total{model="m",version="v1",reason="http_4xx"} 1');
  });

  it('caps distinct model/version pairs, folding the rest into __overflow__', async () => {
    const { registry, t, cardinality } = setup();
    for (let i = 0; i < 500; i++) t.onRecord(rec({ model: `m${i}`, status: 200 }));
    const text = await registry.metrics();
    const series = text.split('\n').filter((l) => l.startsWith('modelwatch_requests_total{'));
    expect(series.length).toBe(101);
    expect(text).toContain('modelwatch_requests_total{model="__overflow__",version="__overflow__",outcome="success",code="2xx"} 400');
    expect(cardinality.totals().get('modelwatch_requests_total')).toBe(400);
  });
});
