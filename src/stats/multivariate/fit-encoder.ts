/**
 * The encoder fitted on the reference (its definition: record-encoder.ts), from columns read once:
 * a numeric column as its numbers (NaN: missing), a categorical one as each row's category index.
 * The same reading serves the fit's encoded rows (encoded-rows.ts), so no column is read twice.
 */
import { categoriesOf, numbersOf, type ColumnValues, type RowCategories } from './column-values.js';
import type { FeatureEncoding, RecordEncoder } from './record-encoder.js';

export type ReadColumn = { name: string; type: 'numeric'; numbers: Float64Array } | { name: string; type: 'categorical'; categories: RowCategories };

export function readColumns(columns: readonly { name: string; type: 'numeric' | 'categorical'; values: ColumnValues }[]): ReadColumn[] {
  return columns.map(({ name, type, values }) => (type === 'numeric' ? { name, type, numbers: numbersOf(values) } : { name, type, categories: categoriesOf(values) }));
}

export function fitEncoder(columns: readonly ReadColumn[], maxCategories = 50): RecordEncoder {
  const features = columns.map((column): FeatureEncoding => {
    const name = column.name;
    if (column.type === 'numeric') {
      const xs = column.numbers;
      let sum = 0;
      let count = 0;
      for (let r = 0; r < xs.length; r++) {
        const x = xs[r];
        if (x === x) {
          sum += x;
          count++;
        }
      }
      const mean = count > 0 ? sum / count : 0;
      let squares = 0;
      for (let r = 0; r < xs.length; r++) {
        const x = xs[r];
        if (x === x) squares += (x - mean) ** 2;
      }
      const std = xs.length > 0 ? Math.sqrt(squares / xs.length) : 0;
      return { name, type: 'numeric', mean, scale: std > 0 ? std : 1 };
    }
    const { codes, names } = column.categories;
    const perName = new Float64Array(names.length);
    for (let r = 0; r < codes.length; r++) if (codes[r] >= 0) perName[codes[r]]++;
    const byCount = names.map((c, i) => [c, perName[i]] as [string, number]).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    const mode = byCount[0]?.[0] ?? '';
    const kept = byCount.slice(0, maxCategories).map(([c]) => c);
    // The imputed mode is a category of the encoded data even when no value is missing.
    if (!kept.includes(mode)) kept.push(mode);
    return { name, type: 'categorical', mode, categories: kept.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)) };
  });
  const width = features.reduce((w, f) => w + (f.type === 'numeric' ? 1 : f.categories.length), 0);
  return { features, width };
}
