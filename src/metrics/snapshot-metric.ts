/**
 * A metric whose samples are produced at scrape time from state the pipeline keeps in plain numbers
 * and typed arrays. Records never go through prom-client one by one (a labelled observe costs ~400 ns);
 * the registry calls get() and formats what we return, like any prom-client metric.
 *
 * A large family is better registered with a writer (registerSnapshotWriter): it hands each sample
 * to `out` as it goes, so the exposition writes it at once and no Sample object, iterator result or
 * array of them is made per sample (6,000 of them per scrape were half the render's time and most
 * of its garbage). get() still gives the samples as objects, for prom-client and the snapshotter.
 */
import type { Registry } from 'prom-client';
import type { CounterBase } from './counter-base.js';
import type { MetricType, Sample } from './sample.js';

export type { MetricType, Sample } from './sample.js';

/** Takes one sample; the labels object may be reused by the caller once it returns. */
export type SampleOut = (labels: Sample['labels'], value: number, metricName?: string) => void;
export type SampleWriter = (out: SampleOut) => void;

function collected(write: SampleWriter): () => Sample[] {
  return () => {
    const values: Sample[] = [];
    write((labels, value, metricName) => values.push(metricName === undefined ? { labels: { ...labels }, value } : { labels: { ...labels }, value, metricName }));
    return values;
  };
}

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
    /** The samples handed over one by one, when the metric was registered with a writer. */
    readonly write?: SampleWriter,
  ) {}

  /** The samples get() returned last: what the next one keeps of them (keptSamples). */
  private last: readonly Sample[] = [];

  get(): { name: string; help: string; type: MetricType; aggregator: string; values: Sample[] } {
    let values = [...this.collect()];
    if (this.base && this.type !== 'gauge') values = this.base.apply(this.name, values);
    values = keptSamples(values, this.last);
    this.last = values;
    return { name: this.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  reset(): void {
    // State belongs to the pipeline; a registry reset does not clear it.
  }
}

/**
 * `fresh` with what did not change since `last` taken from it: a series at the same position with
 * the same name and labels keeps last's labels object, and last's sample too when its value is the
 * same. A checkpoint's capture is kept 15 s until the next is published (pipeline/snapshotter.ts),
 * long enough to reach the old generation, where each one became garbage for a mark-compact to
 * clear: a fresh labels object per sample was most of it (docs/performance.md, 3 December fourth
 * round). The fresh copies now die young, and only the samples whose value moved are new. Samples
 * are never changed once made, so sharing them between captures is safe.
 */
export function keptSamples(fresh: Sample[], last: readonly Sample[]): Sample[] {
  const n = Math.min(fresh.length, last.length);
  for (let i = 0; i < n; i++) {
    const s = fresh[i];
    const p = last[i];
    if (s === p || s.metricName !== p.metricName || !sameLabelsInOrder(s.labels, p.labels)) continue;
    if (Object.is(s.value, p.value)) fresh[i] = p;
    else if (s.labels !== p.labels) fresh[i] = s.metricName === undefined ? { labels: p.labels, value: s.value } : { labels: p.labels, value: s.value, metricName: s.metricName };
  }
  return fresh;
}

/** The same label names with the same values, in the same order (the order they are written in). */
function sameLabelsInOrder(x: Sample['labels'], y: Sample['labels']): boolean {
  const xs = Object.keys(x);
  const ys = Object.keys(y);
  if (xs.length !== ys.length) return false;
  for (let i = 0; i < xs.length; i++) if (xs[i] !== ys[i] || x[xs[i]] !== y[xs[i]]) return false;
  return true;
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

/** Registers a snapshot metric that writes its samples one by one (see the header). */
export function registerSnapshotWriter(registry: Registry, name: string, help: string, type: MetricType, write: SampleWriter): SnapshotMetric {
  const metric = new SnapshotMetric(name, help, type, collected(write), write);
  registry.registerMetric(metric as unknown as Parameters<Registry['registerMetric']>[0]);
  return metric;
}
