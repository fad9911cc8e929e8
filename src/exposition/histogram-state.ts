/**
 * Histogram counts in a typed array: observe() is a binary search and two adds, no allocation.
 * samples() renders the cumulative `_bucket{le}`, `_sum` and `_count` series at scrape time.
 */
import type { Sample } from './snapshot-metric.js';

export class HistogramState {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  constructor(readonly upperBounds: readonly number[]) {
    this.counts = new Float64Array(upperBounds.length);
  }

  observe(value: number): void {
    const bounds = this.upperBounds;
    // first bucket whose upper bound is >= value (le is inclusive)
    let lo = 0;
    let hi = bounds.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (bounds[mid] < value) lo = mid + 1;
      else hi = mid;
    }
    if (lo < this.counts.length) this.counts[lo]++;
    this.sum += value;
    this.count++;
  }

  *samples(name: string, labels: Record<string, string>): Iterable<Sample> {
    let cumulative = 0;
    for (let i = 0; i < this.upperBounds.length; i++) {
      cumulative += this.counts[i];
      yield { metricName: `${name}_bucket`, labels: { ...labels, le: this.upperBounds[i] }, value: cumulative };
    }
    yield { metricName: `${name}_bucket`, labels: { ...labels, le: '+Inf' }, value: this.count };
    yield { metricName: `${name}_sum`, labels, value: this.sum };
    yield { metricName: `${name}_count`, labels, value: this.count };
  }
}
