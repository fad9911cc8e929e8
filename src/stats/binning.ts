/**
 * Counting values into bins. Numeric: bin = number of edges < v (numpy searchsorted side='left'),
 * so there are edges.length + 1 bins. Categorical: one bin per category, with a top-K cap that folds
 * the rest into `__other__` so a high-cardinality column cannot blow up memory or output.
 */

export const OTHER_CATEGORY = '__other__';

/** Index of the first edge ≥ v (binary search): the bin of v. NaN is the caller's to exclude. */
export function binIndex(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = edges.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Counts per numeric bin; NaN values are skipped (missing values are counted by the caller). */
export function countNumeric(edges: Float64Array, values: ArrayLike<number>): Float64Array {
  const counts = new Float64Array(edges.length + 1);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v === v) counts[binIndex(edges, v)] += 1;
  }
  return counts;
}

/** How many times each category occurs; missing values (null/undefined) are skipped. */
export function categoryFrequencies(values: Iterable<string | null | undefined>): Map<string, number> {
  const frequencies = new Map<string, number>();
  for (const v of values) {
    if (v === null || v === undefined) continue;
    frequencies.set(v, (frequencies.get(v) ?? 0) + 1);
  }
  return frequencies;
}

export interface CategoricalBins {
  /** Bin labels in order; the last is `__other__` when the cap folded categories. */
  categories: string[];
  reference: Float64Array;
  current: Float64Array;
}

/**
 * One bin per category of the union of both sides. When the union exceeds maxCategories, the
 * maxCategories − 1 most frequent in the reference (ties by name) keep their bin and the rest share
 * `__other__`: choosing by reference keeps the bins stable as current windows come and go.
 */
export function categoricalBins(
  reference: Map<string, number>,
  current: Map<string, number>,
  maxCategories = 1000,
): CategoricalBins {
  const union = new Set<string>([...reference.keys(), ...current.keys()]);
  const byFrequency = (a: string, b: string): number =>
    (reference.get(b) ?? 0) - (reference.get(a) ?? 0) || (current.get(b) ?? 0) - (current.get(a) ?? 0) || compareText(a, b);
  let categories = [...union].sort(byFrequency);
  const folded = categories.length > maxCategories;
  if (folded) categories = categories.slice(0, Math.max(1, maxCategories - 1));
  const index = new Map<string, number>();
  categories.forEach((c, i) => index.set(c, i));
  const size = categories.length + (folded ? 1 : 0);
  const fill = (source: Map<string, number>): Float64Array => {
    const counts = new Float64Array(size);
    for (const [category, count] of source) counts[index.get(category) ?? size - 1] += count;
    return counts;
  };
  return {
    categories: folded ? [...categories, OTHER_CATEGORY] : categories,
    reference: fill(reference),
    current: fill(current),
  };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
