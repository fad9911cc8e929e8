/**
 * Bin edges for numeric features: the distinct values of numpy.quantile(reference, i/B) for
 * i = 1 … B−1, with numpy's default 'linear' method reproduced operation for operation so the
 * edges are bit-identical to numpy's (a value sitting exactly on an edge must land in the same bin).
 */
import { sortedFloat64 } from './sort.js';

/**
 * numpy's linear quantile of an ascending array: virtual index (n−1)·q, then numpy's `_lerp`, which
 * interpolates from the nearer end (b − (b−a)(1−t) when t ≥ 0.5) for symmetric rounding.
 */
export function linearQuantile(sorted: Float64Array, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const virtualIndex = (n - 1) * q;
  if (virtualIndex >= n - 1) return sorted[n - 1];
  if (virtualIndex < 0) return sorted[0];
  const previous = Math.floor(virtualIndex);
  const a = sorted[previous];
  const b = sorted[previous + 1];
  const t = virtualIndex - previous;
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/** Distinct ascending quantile edges; an empty reference gives no edges (a single bin). */
export function quantileEdges(referenceSorted: Float64Array, bins = 10): Float64Array {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const edges: number[] = [];
  if (referenceSorted.length === 0) return new Float64Array(0);
  for (let i = 1; i < bins; i++) {
    const edge = linearQuantile(referenceSorted, i / bins);
    // Quantiles of a sorted array are non-decreasing, so "distinct" means "differs from the last".
    if (edges.length === 0 || edge !== edges[edges.length - 1]) edges.push(edge);
  }
  return Float64Array.from(edges);
}

/** An ascending copy (radix sort); callers drop NaN first. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return sortedFloat64(values);
}
