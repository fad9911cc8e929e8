import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { configSchema } from '../../src/config/schema.js';
import { TrafficAnalyzer } from '../../src/analyzers/traffic.js';
import { ManualClock } from '../../src/core/clock.js';

describe('stale series', () => {
  it('removes a model version not seen for metrics.stale_series_after, keeps the live one', async () => {
    const registry = new Registry();
    const clock = new ManualClock(1_000_000);
    const config = configSchema.parse({ metrics: { stale_series_after: '10m' } });
    const t = new TrafficAnalyzer({ config, registry, clock, logger: pino({ level: 'silent' }) });
    t.onRecord({ timestamp: 1, model: 'm', version: 'old', features: {}, status: 200 });
    clock.advance(9 * 60_000);
    t.onRecord({ timestamp: 2, model: 'm', version: 'new', features: {}, status: 200 });
    t.tick(clock.now());
    expect(await registry.metrics()).toContain('version="old"');
    clock.advance(2 * 60_000);
    t.tick(clock.now());
    const text = await registry.metrics();
    expect(text).not.toContain('version="old"');
    expect(text).toContain('modelwatch_requests_total{model="m",version="new",outcome="success",code="2xx"} 1');
  });
});
