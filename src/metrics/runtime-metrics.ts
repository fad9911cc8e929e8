/**
 * The sidecar's own process and Node metrics, under the names, types and HELP texts of prom-client's
 * default metrics (what Prometheus users and the Node dashboards expect: process_cpu_seconds_total,
 * process_resident_memory_bytes, process_start_time_seconds, nodejs_heap_size_used_bytes, …).
 *
 * prom-client's collectDefaultMetrics cost 2.9 MiB resident in the bundled build (2.0 loading and
 * registering its 13 modules, @opentelemetry/api among them, 0.9 at the first scrape), in every
 * process (docs/performance.md, "The floor"). Here the families are plain objects the registry
 * formats like any metric; the first one's get() takes one reading of /proc and V8 for all of them
 * (runtime-reading.ts), as prom-client's "one collect sets all" did per group.
 *
 * Differences from prom-client, all towards what the names say: the CPU counters count from the
 * process's start (prom-client's from its registration); `nodejs_gc_duration_seconds` counts every
 * GC entry (prom-client the first of each delivered list). The `_total` handle gauges prom-client
 * added are left out (promtool rejects a gauge named `_total`), as before; the event-loop delay
 * summary is EventLoopDelay's (event-loop-delay.ts).
 */
import type { Registry } from 'prom-client';
import { GcDurations } from './gc-durations.js';
import { maxOpenFiles, readRuntime, type RuntimeReading } from './runtime-reading.js';
import type { MetricType, Sample } from './sample.js';

/** A metric as prom-client's registry keeps and formats it: name, help, type and get(). */
class RuntimeFamily {
  readonly aggregator = 'sum';

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: MetricType,
    private readonly values: () => Sample[],
  ) {}

  get(): { name: string; help: string; type: MetricType; aggregator: string; values: Sample[] } {
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values: this.values() };
  }

  reset(): void {
    // Readings of the process, not state: nothing to reset.
  }
}

/** Whole seconds since the epoch at which this process started (prom-client rounds it too). */
const START_SECONDS = Math.round(Date.now() / 1000 - process.uptime());
const VERSION = process.version.slice(1).split('.').map(Number);

const one = (value: number | undefined): Sample[] => (value === undefined ? [] : [{ labels: {}, value }]);
const byType = (counts: Map<string, number>): Sample[] => [...counts].map(([type, value]) => ({ labels: { type }, value }));
/** V8 names its spaces `new_space`, `old_space`, …; prom-client's label is the part before `_space`. */
const spaceName = (name: string): string => name.slice(0, name.indexOf('_space'));

/** One observer for the process, however many registries show it (tests build many pipelines). */
let processGc: GcDurations | undefined;

/**
 * Registers the families, in prom-client's order; the first family's get() takes the scrape's
 * reading. `nodejs_eventloop_lag_seconds` is the delay of a setImmediate issued at the previous
 * scrape (prom-client's semantics: the scrape does not wait for it).
 */
export function registerRuntimeMetrics(registry: Registry, read: () => RuntimeReading = readRuntime): void {
  let r: RuntimeReading = read();
  let lagSeconds = 0;
  const gc = (processGc ??= new GcDurations().start());
  const families: [string, string, MetricType, () => Sample[]][] = [
    [
      'process_cpu_user_seconds_total',
      'Total user CPU time spent in seconds.',
      'counter',
      () => {
        r = read();
        return one(r.cpu.user / 1e6);
      },
    ],
    ['process_cpu_system_seconds_total', 'Total system CPU time spent in seconds.', 'counter', () => one(r.cpu.system / 1e6)],
    ['process_cpu_seconds_total', 'Total user and system CPU time spent in seconds.', 'counter', () => one((r.cpu.user + r.cpu.system) / 1e6)],
    ['process_start_time_seconds', 'Start time of the process since unix epoch in seconds.', 'gauge', () => one(START_SECONDS)],
    // Off Linux (no /proc) the resident size is Node's own.
    ['process_resident_memory_bytes', 'Resident memory size in bytes.', 'gauge', () => one(r.status.residentBytes ?? process.memoryUsage.rss())],
    ['process_virtual_memory_bytes', 'Virtual memory size in bytes.', 'gauge', () => one(r.status.virtualBytes)],
    ['process_heap_bytes', 'Process heap size in bytes.', 'gauge', () => one(r.status.dataBytes)],
    ['process_open_fds', 'Number of open file descriptors.', 'gauge', () => one(r.openFds)],
    ['process_max_fds', 'Maximum number of open file descriptors.', 'gauge', () => one(maxOpenFiles())],
    [
      'nodejs_eventloop_lag_seconds',
      'Lag of event loop in seconds.',
      'gauge',
      () => {
        const start = process.hrtime.bigint();
        setImmediate(() => (lagSeconds = Number(process.hrtime.bigint() - start) / 1e9));
        return one(lagSeconds);
      },
    ],
    ['nodejs_active_resources', 'Number of active resources that are currently keeping the event loop alive, grouped by async resource type.', 'gauge', () => byType(r.resources)],
    ['nodejs_active_handles', 'Number of active libuv handles grouped by handle type. Every handle type is C++ class name.', 'gauge', () => byType(r.handles)],
    ['nodejs_active_requests', 'Number of active libuv requests grouped by request type. Every request type is C++ class name.', 'gauge', () => byType(r.requests)],
    ['nodejs_heap_size_total_bytes', 'Process heap size from Node.js in bytes.', 'gauge', () => one(r.heap.total_heap_size)],
    ['nodejs_heap_size_used_bytes', 'Process heap size used from Node.js in bytes.', 'gauge', () => one(r.heap.used_heap_size)],
    ['nodejs_external_memory_bytes', 'Node.js external memory size in bytes.', 'gauge', () => one(r.heap.external_memory)],
    ...(['total', 'used', 'available'] as const).map((kind): [string, string, MetricType, () => Sample[]] => [
      `nodejs_heap_space_size_${kind}_bytes`,
      `Process heap space size ${kind} from Node.js in bytes.`,
      'gauge',
      () =>
        r.heapSpaces.map((s) => ({
          labels: { space: spaceName(s.space_name) },
          value: kind === 'total' ? s.space_size : kind === 'used' ? s.space_used_size : s.space_available_size,
        })),
    ]),
    [
      'nodejs_version_info',
      'Node.js version info.',
      'gauge',
      () => [{ labels: { version: process.version, major: VERSION[0], minor: VERSION[1], patch: VERSION[2] }, value: 1 }],
    ],
    ['nodejs_gc_duration_seconds', 'Garbage collection duration by kind, one of major, minor, incremental or weakcb.', 'histogram', () => gc.samples('nodejs_gc_duration_seconds')],
  ];
  for (const [name, help, type, values] of families) registry.registerMetric(new RuntimeFamily(name, help, type, values) as unknown as Parameters<Registry['registerMetric']>[0]);
}
