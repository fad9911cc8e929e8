/**
 * A metric whose samples are produced at scrape time from state the pipeline keeps in plain numbers
 * and typed arrays. Records never go through prom-client one by one (a labelled observe costs ~400 ns);
 * the registry calls get() and formats what we return, like any prom-client metric.
 */
import type { Registry } from 'prom-client';
import type { CounterBase } from './counter-base.js';
import type { MetricType, Sample } from './sample.js';

export type { MetricType, Sample } from './sample.js';

export class SnapshotMetric {
  readonly aggregator = 'sum';
  /** Values carried over from before a restart (counters and histograms only). */
  base: CounterBase | undefined;
  /**
   * Always rendered as of now, never from a published state snapshot: metrics about the process and
   * its durability (checkpoint health, files tailed), which a snapshot would show out of date.
   */
  live = false;

  constructor(
    readonly name: string,
    readonly help: string,
    readonly type: MetricType,
    private readonly collect: () => Iterable<Sample>,
  ) {}

  get(): { name: string; help: string; type: MetricType; aggregator: string; values: Sample[] } {
    let values = [...this.collect()];
    if (this.base && this.type !== 'gauge') values = this.base.apply(this.name, values);
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    // State belongs to the pipeline; a registry reset does not clear it.
  }
}

/** Registers a snapshot metric; prom-client's registry only needs name, help, type and get(). */
export function registerSnapshot(
  registry: Registry,
  name: string,
  help: string,
  type: MetricType,
  collect: () => Iterable<Sample>,
): SnapshotMetric {
  const metric = new SnapshotMetric(name, help, type, collect);
  registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);
  return metric;
}
