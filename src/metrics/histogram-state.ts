/**
 * Histogram counts in a typed array: observe() is a binary search and two adds, no allocation.
 * samples() renders the cumulative `_bucket{le}`, `_sum` and `_count` series at scrape time.
 */
import { binIndex } from '../stats/binning.js';
import type { Sample } from './snapshot-metric.js';

export class HistogramState {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;

  private readonly bounds: Float64Array;

  constructor(readonly upperBounds: readonly number[]) {
    this.counts = new Float64Array(upperBounds.length);
    this.bounds = Float64Array.from(upperBounds);
  }

  observe(value: number): void {
    // The first bucket whose upper bound is ≥ value (le is inclusive): numpy's searchsorted-left.
    const bucket = binIndex(this.bounds, value);
    if (bucket < this.counts.length) this.counts[bucket]++;
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
