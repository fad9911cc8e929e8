/**
 * `nodejs_gc_duration_seconds{kind}`: the garbage collector's pauses as a histogram, from V8's GC
 * performance entries, with prom-client's buckets and kinds (major, minor, incremental, weakcb), so
 * dashboards built on prom-client's metric keep working. Every entry of a delivered list is counted
 * (prom-client counted the first of each list only).
 */
import { constants, PerformanceObserver, type PerformanceEntry } from 'node:perf_hooks';
import type { Sample } from './sample.js';

export const GC_DURATION_BUCKETS = [0.001, 0.01, 0.1, 1, 2, 5] as const;

const KINDS = new Map<number, string>([
  [constants.NODE_PERFORMANCE_GC_MAJOR, 'major'],
  [constants.NODE_PERFORMANCE_GC_MINOR, 'minor'],
  [constants.NODE_PERFORMANCE_GC_INCREMENTAL, 'incremental'],
  [constants.NODE_PERFORMANCE_GC_WEAKCB, 'weakcb'],
]);

interface KindCounts {
  /** Observations per bucket, not cumulative; the last slot is above the largest bound. */
  buckets: Float64Array;
  sum: number;
  count: number;
}

export class GcDurations {
  /** kind → counts, in the order the kinds were first seen (as prom-client's series appear). */
  private readonly byKind = new Map<string, KindCounts>();
  private observer: PerformanceObserver | undefined;

  /** Starts observing V8's GC entries (one observer for the process's lifetime). */
  start(): this {
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.observeEntry(entry);
    });
    this.observer.observe({ entryTypes: ['gc'] });
    return this;
  }

  stop(): void {
    this.observer?.disconnect();
    this.observer = undefined;
  }

  private observeEntry(entry: PerformanceEntry): void {
    // A GC entry's detail is { kind, flags } (Node ≥ 16); the type declares it on some entries only.
    const kind = KINDS.get((entry as { detail?: { kind?: number } }).detail?.kind ?? -1);
    if (kind !== undefined) this.observe(kind, entry.duration / 1000);
  }

  /** One pause of `seconds`. */
  observe(kind: string, seconds: number): void {
    let c = this.byKind.get(kind);
    if (!c) this.byKind.set(kind, (c = { buckets: new Float64Array(GC_DURATION_BUCKETS.length + 1), sum: 0, count: 0 }));
    let b = 0;
    while (b < GC_DURATION_BUCKETS.length && seconds > GC_DURATION_BUCKETS[b]) b++;
    c.buckets[b]++;
    c.sum += seconds;
    c.count++;
  }

  /** The histogram's samples, as prom-client writes them: cumulative buckets (`le` first), _sum, _count. */
  samples(name: string): Sample[] {
    const out: Sample[] = [];
    for (const [kind, c] of this.byKind) {
      let cumulative = 0;
      for (let b = 0; b <= GC_DURATION_BUCKETS.length; b++) {
        cumulative += c.buckets[b];
        out.push({ metricName: `${name}_bucket`, labels: { le: b < GC_DURATION_BUCKETS.length ? GC_DURATION_BUCKETS[b] : '+Inf', kind }, value: cumulative });
      }
      out.push({ metricName: `${name}_sum`, labels: { kind }, value: c.sum });
      out.push({ metricName: `${name}_count`, labels: { kind }, value: c.count });
    }
    return out;
  }
}
