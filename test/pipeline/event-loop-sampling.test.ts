/**
 * The Node metrics' event-loop delay histogram samples every 100 ms, not prom-client's 10 ms: its
 * timer alone was most of an idle sidecar's CPU (docs/performance.md, overhead at idle).
 */
import perfHooks from 'node:perf_hooks';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { buildPipeline } from '../../src/main.js';

describe('process metrics', () => {
  it('sample the event-loop delay every 100 ms', () => {
    const monitor = vi.spyOn(perfHooks, 'monitorEventLoopDelay');
    try {
      const config = configSchema.parse({ sources: [{ type: 'stdin' }], resources: { enabled: false } });
      const p = buildPipeline({ config, logger: pino({ level: 'silent' }), clock: { now: () => Date.now() } });
      expect(monitor).toHaveBeenCalledWith({ resolution: 100 });
      expect(p.registry.getSingleMetric('nodejs_eventloop_lag_p99_seconds')).toBeDefined();
    } finally {
      monitor.mockRestore();
    }
  });
});
