/**
 * The Node metrics' event-loop delay summary is sampled by the 1 s pairing-expiry timer, not by a
 * libuv timer of its own (prom-client's monitorEventLoopDelay): its wake-ups were most of an idle sidecar's CPU
 * (docs/performance.md, idle round).
 */
import perfHooks from 'node:perf_hooks';
import { pino } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { buildPipeline } from '../../src/main.js';
import { EVENT_LOOP_DELAY_METRICS, EventLoopDelay } from '../../src/metrics/event-loop-delay.js';
import { Registry } from 'prom-client';

const pipeline = () => {
  const config = configSchema.parse({ sources: [{ type: 'stdin' }], resources: { enabled: false } });
  return buildPipeline({ config, logger: pino({ level: 'silent' }), clock: { now: () => Date.now() } });
};

/** name → value of the summary gauges, as a scrape reads them. */
async function summary(registry: Registry): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const line of (await registry.metrics()).split('\n')) {
    const m = /^nodejs_eventloop_lag_(\w+)_seconds (\S+)$/.exec(line);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

describe('event-loop delay summary', () => {
  it('nothing samples the event loop on a timer of its own; the summary gauges are registered once', async () => {
    const monitor = vi.spyOn(perfHooks, 'monitorEventLoopDelay');
    try {
      const p = pipeline();
      expect(monitor).not.toHaveBeenCalled();
      expect(p.eventLoopDelay?.intervalMs).toBe(1000);
      const text = await p.registry.metrics();
      for (const name of [...EVENT_LOOP_DELAY_METRICS, 'nodejs_eventloop_lag_seconds']) expect(text.split('\n').filter((l) => l === `# TYPE ${name} gauge`)).toHaveLength(1);
    } finally {
      monitor.mockRestore();
    }
  });

  it('records how late each beat ran, not the interval, and summarises the beats since the last scrape', async () => {
    const registry = new Registry();
    const delay = new EventLoopDelay(1000);
    delay.register(registry);
    // On time, 250 ms late (a stall), on time from the late beat (counted once), 0.4 ms early.
    for (const t of [0, 1000, 2250, 3250, 4249.6]) delay.beat(t);
    const first = await summary(registry);
    expect(first.max).toBeCloseTo(0.25, 3);
    expect(first.min).toBeLessThan(1e-6);
    expect(first.p50).toBeLessThan(1e-6);
    expect(first.mean).toBeCloseTo(0.25 / 4, 3);
    // Reset when read: the next scrape summarises only the newer beats.
    delay.beat(5249.6 + 30);
    const second = await summary(registry);
    expect(second.max).toBeCloseTo(0.03, 3);
    expect(second.min).toBeCloseTo(0.03, 3);
    // No beat since: the last values stay.
    expect(await summary(registry)).toEqual(second);
  });

  it('the pipeline registers the sampler it hands to the timers', async () => {
    const p = pipeline();
    p.eventLoopDelay!.beat(0);
    p.eventLoopDelay!.beat(1500);
    expect((await summary(p.registry)).max).toBeCloseTo(0.5, 3);
  });
});
