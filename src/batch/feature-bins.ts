/**
 * Turns one column pair into what the drift methods take: non-missing numeric samples (reference
 * sorted once) and quantile-bin counts, or category counts over the union of both sides. Also keeps
 * readable bin labels for the report charts.
 */
import { categoricalBins, countNumeric } from '../stats/binning.js';
import { quantileEdges } from '../stats/quantile-edges.js';
import { sortedFloat64 } from '../stats/sort.js';
import { MISSING_CODE, type CategoricalColumn, type NumericColumn } from '../tables/column.js';

export interface FeatureBins {
  labels: string[];
  reference: Float64Array;
  current: Float64Array;
  referenceTotal: number;
  currentTotal: number;
}

/** Both sides ascending: sorted once here and shared by every sample method. */
export interface NumericSamples {
  refSorted: Float64Array;
  current: Float64Array;
}

export function presentValues(values: Float64Array): Float64Array {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) count++;
  const out = new Float64Array(count);
  let j = 0;
  for (let i = 0; i < values.length; i++) if (values[i] === values[i]) out[j++] = values[i];
  return out;
}

export function numericSamples(reference: NumericColumn, current: NumericColumn): NumericSamples {
  return { refSorted: sortedFloat64(presentValues(reference.values)), current: sortedFloat64(presentValues(current.values)) };
}

function formatEdge(x: number): string {
  return Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(4)));
}

/** Bin i holds (edge[i−1], edge[i]]: searchsorted 'left' puts a value equal to an edge below it. */
export function numericBins(samples: NumericSamples, bins: number): FeatureBins {
  const edges = quantileEdges(samples.refSorted, bins);
  const labels: string[] = [];
  for (let i = 0; i <= edges.length; i++) {
    if (edges.length === 0) labels.push('all');
    else if (i === 0) labels.push(`≤ ${formatEdge(edges[0])}`);
    else if (i === edges.length) labels.push(`> ${formatEdge(edges[i - 1])}`);
    else labels.push(`(${formatEdge(edges[i - 1])}, ${formatEdge(edges[i])}]`);
  }
  return {
    labels,
    reference: countNumeric(edges, samples.refSorted),
    current: countNumeric(edges, samples.current),
    referenceTotal: samples.refSorted.length,
    currentTotal: samples.current.length,
  };
}

function frequencies(column: CategoricalColumn): Map<string, number> {
  const counts = new Float64Array(column.dictionary.length);
  for (let i = 0; i < column.codes.length; i++) {
    const code = column.codes[i];
    if (code !== MISSING_CODE) counts[code]++;
  }
  const out = new Map<string, number>();
  column.dictionary.forEach((category, code) => {
    if (counts[code] > 0) out.set(category, counts[code]);
  });
  return out;
}

export function categoryBins(reference: CategoricalColumn, current: CategoricalColumn, maxCategories: number): FeatureBins {
  const bins = categoricalBins(frequencies(reference), frequencies(current), maxCategories);
  return {
    labels: bins.categories,
    reference: bins.reference,
    current: bins.current,
    referenceTotal: reference.codes.length - reference.missing,
    currentTotal: current.codes.length - current.missing,
  };
}
