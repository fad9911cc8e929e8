import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { minReferenceRows, referenceWarnings } from '../../src/windows/reference-checks.js';
import { buildProfile, type RawValue } from '../../src/windows/reference-profile.js';

function profile(rows: number, names: string[]) {
  const columns = new Map<string, RawValue[]>(names.map((n) => [n, Array.from({ length: rows }, (_, i) => i % 5)]));
  return buildProfile({ source: 'train.csv', rows, columns, types: {} }, { bins: 10, maxCategories: 50, maxSample: 1000 });
}

describe('referenceWarnings', () => {
  it('names the key to set for label- and prediction-like columns, also by the names the config reads', () => {
    const config = configSchema.parse({
      reference: { path: 'train.csv' },
      sources: [
        { type: 'file', paths: ['/x'], format: { fields: { prediction: 'out.mpg' } } },
        { type: 'file', role: 'labels', paths: ['/y'], format: { fields: { label: 'truth_mpg' } } },
      ],
    });
    const warnings = referenceWarnings(profile(500, ['age', 'Target', 'truth_mpg', 'mpg', 'y_pred']), config);
    expect(warnings[0].message).toBe(
      'reference column "Target" of train.csv looks like the label but is profiled as a feature (the logs never carry it: 100 % missing, meaningless drift); set reference.label_column: Target',
    );
    expect(warnings.map((w) => `${/"(.*?)"/.exec(w.message)![1]} → ${/set (.*)$/.exec(w.message)![1]}`)).toEqual([
      'Target → reference.label_column: Target',
      'truth_mpg → reference.label_column: truth_mpg',
      'mpg → reference.prediction_column: mpg',
      'y_pred → reference.prediction_column: y_pred',
    ]);
  });

  it('says nothing of columns when features are configured or the columns are named in reference', () => {
    const listed = configSchema.parse({ features: [{ name: 'age' }] });
    expect(referenceWarnings(profile(500, ['age', 'target']), listed)).toEqual([]);
    const named = configSchema.parse({ reference: { label_column: 'target', prediction_column: 'score' } });
    expect(referenceWarnings(profile(500, ['age', 'score', 'target']), named)).toEqual([]);
  });

  it('warns below 50 × (bins − 1) rows', () => {
    expect(minReferenceRows(10)).toBe(450);
    const config = configSchema.parse({});
    expect(referenceWarnings(profile(450, ['age']), config)).toEqual([]);
    expect(referenceWarnings(profile(449, ['age']), config).map((w) => w.kind)).toEqual(['small_reference']);
  });
});
