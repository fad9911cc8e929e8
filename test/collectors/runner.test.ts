import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import type { Collector } from '../../src/collectors/collector.js';
import { COLLECTORS, createResourceRunner } from '../../src/collectors/index.js';
import { CollectorRunner, type RepeatTimer } from '../../src/collectors/runner.js';
import { configSchema } from '../../src/config/schema.js';
import { resourcesSchema } from '../../src/config/resources-schema.js';
import { requireBinary } from '../helpers/binaries.js';
import { FIXTURES, logSink, value } from './helpers.js';

/** A timer the test fires by hand. */
function manualTimer() {
  const ticks: { tick: () => void; ms: number; cancelled: boolean }[] = [];
  const timer: RepeatTimer = (tick, ms) => {
    const entry = { tick, ms, cancelled: false };
    ticks.push(entry);
    return { cancel: () => void (entry.cancelled = true) };
  };
  return { timer, ticks };
}

function counting(name: string, behaviour: () => Promise<void> = async () => {}): Collector & { calls: number } {
  const c = { name, calls: 0, collect: async () => { c.calls++; await behaviour(); } };
  return c;
}

describe('CollectorRunner', () => {
  it('isolates a failing collector: it reports 0, the others 1, the scrape still works', async () => {
    const registry = new Registry();
    const sink = logSink();
    const good = counting('good');
    const bad = counting('bad', async () => { throw new Error('boom'); });
    const runner = new CollectorRunner({ registry, logger: sink.logger, collectors: [{ collector: good, intervalSeconds: 5 }, { collector: bad, intervalSeconds: 5 }] });
    await runner.runOnce();
    await runner.runOnce();
    expect(await value(registry, 'modelwatch_collector_success', { collector: 'good' })).toBe(1);
    expect(await value(registry, 'modelwatch_collector_success', { collector: 'bad' })).toBe(0);
    expect(await value(registry, 'modelwatch_collector_duration_seconds', { collector: 'bad' })).toBeGreaterThanOrEqual(0);
    await expect(registry.metrics()).resolves.toContain('modelwatch_collector_success{collector="bad"} 0');
    // Logged once, then rate-limited.
    const logged = sink.lines.filter((l) => l.msg === 'resource collector failed');
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ collector: 'bad', err: { message: 'boom' } });
  });

  it('records the duration of the last run from the injected clock', async () => {
    const registry = new Registry();
    const times = [1000, 1250];
    const runner = new CollectorRunner({ registry, logger: logSink().logger, collectors: [{ collector: counting('c'), intervalSeconds: 1 }], now: () => times.shift() as number });
    await runner.runOnce();
    expect(await value(registry, 'modelwatch_collector_duration_seconds', { collector: 'c' })).toBe(0.25);
  });

  it('runs each collector at start and on its own interval, never twice at once, and stops', async () => {
    const registry = new Registry();
    const { timer, ticks } = manualTimer();
    let release: () => void = () => {};
    const slow = counting('slow', () => new Promise<void>((r) => { release = r; }));
    const fast = counting('fast');
    const runner = new CollectorRunner({ registry, logger: logSink().logger, timer, collectors: [{ collector: slow, intervalSeconds: 10 }, { collector: fast, intervalSeconds: 2 }] });
    runner.start();
    expect(ticks.map((t) => t.ms)).toEqual([10_000, 2_000]);
    expect([slow.calls, fast.calls]).toEqual([1, 1]);
    // Let fast's first run settle (promise callbacks only, no timers).
    await new Promise((r) => setImmediate(r));
    ticks[0].tick(); // slow is still running: not started again
    ticks[1].tick();
    expect([slow.calls, fast.calls]).toEqual([1, 2]);
    release();
    await runner.stop();
    expect(ticks.every((t) => t.cancelled)).toBe(true);
    expect(await value(registry, 'modelwatch_collector_success', { collector: 'slow' })).toBe(1);
  });
});

describe('createResourceRunner', () => {
  it('lists the collectors explicitly', () => {
    expect(COLLECTORS.map((c) => c.name)).toEqual(['process', 'cgroup', 'gpu']);
  });

  it('is off when resources are disabled, and runs only the GPU collector without a target', () => {
    const logger = logSink().logger;
    expect(createResourceRunner(resourcesSchema.parse({ enabled: false }), new Registry(), logger)).toBeUndefined();
    expect(createResourceRunner(resourcesSchema.parse({}), new Registry(), logger)?.collectorNames).toEqual(['gpu']);
    expect(createResourceRunner(resourcesSchema.parse({ gpu: { enabled: false } }), new Registry(), logger)).toBeUndefined();
  });

  it('is part of the config schema with defaults', () => {
    const config = configSchema.parse({});
    expect(config.resources).toMatchObject({ enabled: true, interval: 5, target: { name: 'model-server', include_children: true }, gpu: { enabled: true, nvidia_smi: 'nvidia-smi', interval: 10, timeout: 5 } });
    expect(configSchema.parse({ resources: { interval: '15s', target: { pid: 1 } } }).resources.interval).toBe(15);
  });

  it('scrapes this test process, its cgroup and fake GPUs into exposition promtool accepts', async () => {
    process.env.FAKE_NVIDIA_SMI_CASE = `${FIXTURES}nvidia-smi/h100-8gpu`;
    const config = resourcesSchema.parse({ target: { pid: process.pid, include_children: false }, gpu: { nvidia_smi: `${FIXTURES}fake-bin/nvidia-smi` } });
    const registry = new Registry();
    const runner = createResourceRunner(config, registry, logSink().logger);
    expect(runner?.collectorNames).toEqual(['process', 'cgroup', 'gpu']);
    await runner?.runOnce();
    delete process.env.FAKE_NVIDIA_SMI_CASE;
    expect(await value(registry, 'modelwatch_collector_success', { collector: 'process' })).toBe(1);
    expect(await value(registry, 'modelwatch_collector_success', { collector: 'gpu' })).toBe(1);
    // The cgroup collector succeeds where cgroup v2 is mounted; it fails alone (and says why) where not.
    expect(await value(registry, 'modelwatch_collector_success', { collector: 'cgroup' })).toBeTypeOf('number');
    const text = await registry.metrics();
    expect(text).toContain('modelwatch_target_up{target="model-server"} 1');
    const promtool = requireBinary('promtool');
    const lint = execFileSync(promtool, ['check', 'metrics'], { input: text, encoding: 'utf8' });
    expect(lint).toBe('');
  });
});
