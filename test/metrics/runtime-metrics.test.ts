/**
 * The sidecar's own process and Node metrics replace prom-client's collectDefaultMetrics: the same
 * families, types and HELP texts (checked against prom-client itself, still a dependency), values
 * read from /proc and V8, /proc read once per scrape.
 */
import { collectDefaultMetrics, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { GcDurations } from '../../src/metrics/gc-durations.js';
import { parseMaxOpenFiles, parseSelfStatus } from '../../src/metrics/proc-self-parse.js';
import { registerRuntimeMetrics } from '../../src/metrics/runtime-metrics.js';
import { readRuntime } from '../../src/metrics/runtime-reading.js';

const headers = (text: string) => text.split('\n').filter((l) => l.startsWith('# '));
const value = (text: string, name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);

const STATUS = `Name:\tnode
Umask:\t0022
VmPeak:\t 1201420 kB
VmSize:\t 1139064 kB
VmHWM:\t   61904 kB
VmRSS:\t   61560 kB
RssAnon:\t   19480 kB
VmData:\t  107220 kB
VmStk:\t     132 kB
Threads:\t7
`;

describe('proc-self-parse', () => {
  it('reads VmRSS, VmSize and VmData in bytes, not VmHWM or VmPeak', () => {
    expect(parseSelfStatus(STATUS)).toEqual({ residentBytes: 61560 * 1024, virtualBytes: 1139064 * 1024, dataBytes: 107220 * 1024 });
    expect(parseSelfStatus('Name:\tkthreadd\n')).toEqual({});
  });

  it("reads the soft limit of open files; none when it is 'unlimited'", () => {
    const limits = 'Limit                     Soft Limit           Hard Limit           Units     \nMax processes             unlimited            unlimited            processes \nMax open files            20000                1048576              files     \n';
    expect(parseMaxOpenFiles(limits)).toBe(20000);
    expect(parseMaxOpenFiles(limits.replace('20000 ', 'unlimited'))).toBeUndefined();
  });
});

describe('GcDurations', () => {
  it("counts pauses into prom-client's cumulative buckets per kind, the bound itself included", () => {
    const gc = new GcDurations();
    for (const s of [0.0005, 0.001, 0.05, 3]) gc.observe('minor', s);
    gc.observe('major', 0.2);
    const samples = gc.samples('g');
    const minor = samples.filter((s) => s.labels.kind === 'minor');
    expect(minor.filter((s) => s.metricName === 'g_bucket').map((s) => [s.labels.le, s.value])).toEqual([
      [0.001, 2],
      [0.01, 2],
      [0.1, 3],
      [1, 3],
      [2, 3],
      [5, 4],
      ['+Inf', 4],
    ]);
    expect(minor.find((s) => s.metricName === 'g_sum')!.value).toBeCloseTo(3.0515, 10);
    expect(minor.find((s) => s.metricName === 'g_count')!.value).toBe(4);
    expect(samples.filter((s) => s.labels.kind === 'major' && s.metricName === 'g_count')[0].value).toBe(1);
  });

  it("observes V8's collections once started", async () => {
    const gc = new GcDurations().start();
    try {
      let garbage: object[] | undefined = Array.from({ length: 300_000 }, (_, i) => ({ i }));
      garbage = undefined;
      for (let i = 0; i < 20 && !gc.samples('g').length; i++) await new Promise((r) => setTimeout(r, 20, garbage));
      expect(gc.samples('g').some((s) => s.metricName === 'g_count' && s.value > 0)).toBe(true);
    } finally {
      gc.stop();
    }
  });
});

describe('registerRuntimeMetrics', () => {
  it("exposes prom-client's default families with the same HELP and TYPE, in the same order, less the _total handle gauges and the delay summary", async () => {
    const ours = new Registry();
    registerRuntimeMetrics(ours);
    const theirs = new Registry();
    collectDefaultMetrics({ register: theirs, eventLoopMonitoringPrecision: 2 ** 31 - 1 });
    const left = /^nodejs_(active_\w+_total|eventloop_lag_(min|max|mean|stddev|p50|p90|p99)_seconds)$/;
    for (const name of theirs.getMetricsAsArray().map((m) => m.name)) if (left.test(name)) theirs.removeSingleMetric(name);
    expect(headers(await ours.metrics())).toEqual(headers(await theirs.metrics()));
  });

  it('takes one reading of /proc and V8 per scrape, and its values describe this process', async () => {
    const registry = new Registry();
    let readings = 0;
    registerRuntimeMetrics(registry, () => (readings++, readRuntime()));
    readings = 0;
    const text = await registry.metrics();
    expect(readings).toBe(1);
    const cpu = process.cpuUsage();
    expect(value(text, 'process_cpu_seconds_total')).toBeGreaterThan(0);
    expect(value(text, 'process_cpu_seconds_total')).toBeLessThanOrEqual((cpu.user + cpu.system) / 1e6);
    expect(value(text, 'process_cpu_seconds_total')).toBeCloseTo(value(text, 'process_cpu_user_seconds_total') + value(text, 'process_cpu_system_seconds_total'), 6);
    const rss = process.memoryUsage.rss();
    expect(value(text, 'process_resident_memory_bytes')).toBeGreaterThan(rss / 2);
    expect(value(text, 'process_resident_memory_bytes')).toBeLessThan(rss * 2);
    expect(value(text, 'process_virtual_memory_bytes')).toBeGreaterThan(value(text, 'process_resident_memory_bytes'));
    expect(value(text, 'process_start_time_seconds')).toBeCloseTo(Date.now() / 1000 - process.uptime(), -1);
    expect(value(text, 'process_open_fds')).toBeGreaterThan(2);
    expect(value(text, 'process_max_fds')).toBeGreaterThan(value(text, 'process_open_fds'));
    expect(value(text, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(1e6);
    expect(text).toMatch(/^nodejs_heap_space_size_used_bytes\{space="old"\} \d+$/m);
    expect(text).toContain(`nodejs_version_info{version="${process.version}",major="${process.versions.node.split('.')[0]}"`);
  });
});
