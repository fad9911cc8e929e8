import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { toOpenMetrics, wantsOpenMetrics } from '../../src/http/openmetrics.js';
import { registerSnapshot } from '../../src/metrics/snapshot-metric.js';
import { HistogramState } from '../../src/metrics/histogram-state.js';

describe('OpenMetrics rendering', () => {
  it('drops _total from counter family names only, keeps samples, ends with # EOF', () => {
    const text = [
      '# HELP a_total things',
      '# TYPE a_total counter',
      'a_total{x="1"} 3',
      '',
      '# HELP g_total_bytes gauge that happens to contain total',
      '# TYPE g_total_bytes gauge',
      'g_total_bytes 1',
      '',
    ].join('\n');
    expect(toOpenMetrics(text)).toBe(
      ['# HELP a things', '# TYPE a counter', 'a_total{x="1"} 3', '# HELP g_total_bytes gauge that happens to contain total', '# TYPE g_total_bytes gauge', 'g_total_bytes 1', '# EOF', ''].join('\n'),
    );
  });

  it('negotiates on Accept', () => {
    expect(wantsOpenMetrics('application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5')).toBe(true);
    expect(wantsOpenMetrics('text/plain')).toBe(false);
    expect(wantsOpenMetrics(undefined)).toBe(false);
  });
});

describe('HistogramState', () => {
  it('puts a value equal to an upper bound in that bucket (le is inclusive) and renders cumulative buckets', async () => {
    const h = new HistogramState([0.1, 1]);
    for (const v of [0.05, 0.1, 0.5, 1, 2]) h.observe(v);
    const registry = new Registry();
    registerSnapshot(registry, 'x_seconds', 'x', 'histogram', () => h.samples('x_seconds', { model: 'm' }));
    const text = await registry.metrics();
    expect(text).toContain('x_seconds_bucket{model="m",le="0.1"} 2');
    expect(text).toContain('x_seconds_bucket{model="m",le="1"} 4');
    expect(text).toContain('x_seconds_bucket{model="m",le="+Inf"} 5');
    expect(text).toContain('x_seconds_sum{model="m"} 3.65');
    expect(text).toContain('x_seconds_count{model="m"} 5');
  });
});
