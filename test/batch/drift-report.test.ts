import { describe, expect, it } from 'vitest';
import type { CategoricalColumn, NumericColumn } from '../../src/tables/column.js';
import { parseCsv } from '../../src/tables/csv-reader.js';
import { DEFAULT_DRIFT_OPTIONS, DriftInputError, computeDriftReport } from '../../src/batch/drift-report.js';
import { parseJsonl } from '../../src/tables/jsonl-reader.js';

const csv = (text: string) => parseCsv(Buffer.from(text));

describe('computeDriftReport', () => {
  it('a column numeric on one side and text on the other is categorical on both', () => {
    const report = computeDriftReport(csv('v\n1\n2\n2\n'), csv('v\n2\nx\n'));
    const [v] = report.features;
    expect(v.type).toBe('categorical');
    expect(v.bins.labels.sort()).toEqual(['1', '2', 'x']);
    expect(v.methods.map((m) => m.method.name)).toEqual(['psi', 'kl_divergence', 'jensen_shannon', 'hellinger', 'chi_squared']);
  });

  it('a side with only missing values gives no verdict, never NaN', () => {
    const report = computeDriftReport(csv('a,b\n1,x\n2,y\n'), csv('a,b\nNA,x\n,y\n'));
    const a = report.features.find((f) => f.name === 'a')!;
    expect(a.nCurrent).toBe(0);
    expect(a.missingCurrent).toBe(2);
    expect(a.drifted).toBe(false);
    expect(a.methods.every((m) => m.result === undefined && !m.drifted)).toBe(true);
  });

  it('compares only the common columns and rejects unusable input', () => {
    expect(computeDriftReport(csv('a,b\n1,2\n'), csv('b,c\n1,2\n')).features.map((f) => f.name)).toEqual(['b']);
    expect(() => computeDriftReport(csv('a\n1\n'), csv('z\n1\n'))).toThrow(DriftInputError);
    expect(() => computeDriftReport(csv('a\n'), csv('a\n1\n'))).toThrow(/reference data has no rows/);
  });

  it('the dataset drifts when at least the configured share of features drift', () => {
    const ref = csv('a,b\n' + Array.from({ length: 50 }, (_, i) => `${i},${i % 2}`).join('\n'));
    const cur = csv('a,b\n' + Array.from({ length: 50 }, (_, i) => `${i + 100},${i % 2}`).join('\n'));
    const report = computeDriftReport(ref, cur, DEFAULT_DRIFT_OPTIONS);
    expect(report.features.map((f) => f.drifted)).toEqual([true, false]);
    expect(report.driftShare).toBe(0.5);
    expect(report.drifted).toBe(true);
    expect(computeDriftReport(ref, cur, { ...DEFAULT_DRIFT_OPTIONS, datasetShare: 0.6 }).drifted).toBe(false);
  });
});

describe('parseJsonl', () => {
  it('takes the union of keys, with missing values where a line lacks one', () => {
    const t = parseJsonl('{"a":1,"b":"x"}\n\n{"b":null,"c":true}\n{"a":2.5,"b":"NA","c":false}\n');
    expect(t.rowCount).toBe(3);
    const a = t.columns.find((c) => c.name === 'a') as NumericColumn;
    expect(Array.from(a.values)).toEqual([1, NaN, 2.5]);
    const b = t.columns.find((c) => c.name === 'b') as CategoricalColumn;
    expect(b.missing).toBe(2);
    const c = t.columns.find((x) => x.name === 'c') as CategoricalColumn;
    expect(Array.from(c.codes, (k) => (k < 0 ? null : c.dictionary[k]))).toEqual([null, 'true', 'false']);
  });

  it('accepts a JSON array of objects and reports bad lines with their number', () => {
    expect(parseJsonl('[{"a":1},{"a":2}]').rowCount).toBe(2);
    expect(() => parseJsonl('{"a":1}\n{oops}\n')).toThrow(/line 2: not valid JSON/);
    expect(() => parseJsonl('[1,2]\n')).toThrow(/element 0: expected a JSON object/);
  });
});
