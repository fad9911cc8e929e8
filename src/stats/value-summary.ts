/**
 * Summary statistics of a window's values, for `modelwatch_feature_value{stat}`: mean, population
 * standard deviation (ddof = 0, as the reference profile), min, max and the 50th and 95th
 * percentiles by linear interpolation between order statistics (numpy's default "linear" method:
 * position p·(n − 1) in the sorted values). A dashboard shows a unit change ("milliseconds logged
 * as seconds") as a jump of every stat by the same factor.
 */
import { meanOf, stdAbout } from './moments.js';
import { sortFloat64 } from './sort.js';

export const SUMMARY_STATS = ['mean', 'std', 'min', 'max', 'p50', 'p95'] as const;
export type SummaryStat = (typeof SUMMARY_STATS)[number];

/**
 * Values in SUMMARY_STATS order; undefined for no values. Sorts `values` in place, which must hold
 * no NaN (the windows keep a missing value out). By the radix sort, not the built-in one: the same
 * order (−0 before +0), a fifth of the time on a 10,000-value window, and at 1,000 records/s every
 * count window has been replaced between two ticks (docs/performance.md, 1 December round).
 */
export function summarizeValues(values: Float64Array): Float64Array | undefined {
  return summarizeSorted(sortFloat64(values));
}

/**
 * summarizeValues of values already ascending (the drift tick's sort of a window holding the same
 * values: windows/shared-summaries.ts). The sums run in sorted order either way, so the numbers are
 * the same bits.
 */
export function summarizeSorted(sorted: Float64Array): Float64Array | undefined {
  const n = sorted.length;
  if (n === 0) return undefined;
  const mean = meanOf(sorted);
  return Float64Array.of(mean, stdAbout(sorted, mean), sorted[0], sorted[n - 1], quantileSorted(sorted, 0.5), quantileSorted(sorted, 0.95));
}

/** numpy.quantile(method="linear") on sorted values. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const position = p * (sorted.length - 1);
  const lo = Math.floor(position);
  const hi = Math.min(lo + 1, sorted.length - 1);
  const fraction = position - lo;
  return fraction === 0 ? sorted[lo] : sorted[lo] + fraction * (sorted[hi] - sorted[lo]);
}
