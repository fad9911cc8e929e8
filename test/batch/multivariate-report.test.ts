/**
 * The batch report's multivariate drift equals scikit-learn's pipeline (the committed fixtures),
 * and reaches the JSON, table and HTML outputs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DRIFT_OPTIONS, computeDriftReport } from '../../src/batch/drift-report.js';
import { driftReportJson } from '../../src/batch/format-json.js';
import { formatTable } from '../../src/batch/format-table.js';
import { formatHtml } from '../../src/batch/format-html.js';
import { parseJsonl } from '../../src/tables/jsonl-reader.js';
import { fitReconstruction, reconstructionAutoThreshold } from '../../src/stats/multivariate/pca-reconstruction.js';
import { close, FIXTURE_DIR } from '../stats/drift-fixtures.js';

interface Case {
  name: string;
  columns: { name: string; type: 'numeric' | 'categorical' }[];
  explained_variance_share: number;
  reference: Record<string, unknown[]>;
  current: Record<string, unknown[]>;
  expected: { components: number; current_mean: number; reference_mean: number; reference_std: number };
}

const { cases } = JSON.parse(readFileSync(join(FIXTURE_DIR, 'multivariate.json'), 'utf8')) as { cases: Case[] };

const table = (c: Case, side: 'reference' | 'current') => {
  const names = c.columns.map((col) => col.name);
  const rows = c[side][names[0]].map((_, i) => JSON.stringify(Object.fromEntries(names.map((n) => [n, c[side][n][i]]))));
  return parseJsonl(rows.join('\n'));
};

describe('batch multivariate drift', () => {
  for (const c of cases.filter((x) => x.explained_variance_share === 0.65)) {
    it(`${c.name}: score and band as scikit-learn`, () => {
      const categorical = c.columns.filter((col) => col.type === 'categorical').map((col) => col.name);
      const report = computeDriftReport(table(c, 'reference'), table(c, 'current'), { ...DEFAULT_DRIFT_OPTIONS, categorical });
      const mv = report.multivariate!;
      expect(mv.components).toBe(c.expected.components);
      expect(close(mv.score, c.expected.current_mean), `${mv.score} vs ${c.expected.current_mean}`).toBe(true);
      expect(close(mv.referenceMean, c.expected.reference_mean)).toBe(true);
      const n = c.current[c.columns[0].name].length;
      expect(close(mv.upper, c.expected.reference_mean + (3 * c.expected.reference_std) / Math.sqrt(n))).toBe(true);
    });
  }

  it('appears in JSON, table and HTML, and not with a single feature', () => {
    const c = cases[0];
    const report = computeDriftReport(table(c, 'reference'), table(c, 'current'), { ...DEFAULT_DRIFT_OPTIONS, categorical: ['Origin', 'Cylinders'] });
    const json = driftReportJson(report);
    expect(json.multivariate).toMatchObject({ method: 'pca_reconstruction', drifted: true, components: 1 });
    expect(Object.keys(json)).toEqual(['dataset', 'features', 'multivariate']);
    expect(formatTable(report)).toMatch(/^Multivariate drift \(pca_reconstruction over 7 features, 1 components, \d+% of variance\): DRIFTED/m);
    const html = formatHtml(report, { referenceName: 'a', currentName: 'b', generatedAt: 'now' });
    expect(html).toContain('<section id="multivariate">');
    expect(html.match(/<circle /g)).toHaveLength(report.multivariate!.chunks.length);
    const single = computeDriftReport(parseJsonl('{"a":1}\n{"a":2}'), parseJsonl('{"a":3}'));
    expect(single.multivariate).toBeUndefined();
    expect(driftReportJson(single).multivariate).toBeUndefined();
  });
});

describe('batch multivariate drift with the config\'s drift.multivariate', () => {
  const c = cases.find((x) => x.explained_variance_share === 0.65)!;
  const categorical = c.columns.filter((col) => col.type === 'categorical').map((col) => col.name);
  const n = c.current[c.columns[0].name].length;

  it('threshold auto: the sidecar\'s one-sided bound at the current size and α, in JSON and the table', () => {
    const report = computeDriftReport(table(c, 'reference'), table(c, 'current'), {
      ...DEFAULT_DRIFT_OPTIONS,
      categorical,
      falseAlarmRate: 0.05,
      multivariateSettings: { threshold: 'auto' },
    });
    const mv = report.multivariate!;
    // The bound the sidecar's windows read (windows/multivariate-drift.ts), from the same fitted model.
    const model = fitReconstruction(
      c.columns.map((col) => ({ name: col.name, type: col.type, values: c.reference[col.name] as (number | string | null)[] })),
      {},
    )!;
    expect(mv.upper).toBeCloseTo(reconstructionAutoThreshold(model, n, 0.05), 12);
    expect(mv.lower).toBe(0);
    expect(mv.drifted).toBe(mv.score > mv.upper);
    expect(driftReportJson(report).multivariate).toMatchObject({ threshold_source: 'auto', threshold: { lower: 0, upper: mv.upper } });
    expect(formatTable(report)).toMatch(/drift above [\d.]+ \(auto\)/);
    // α moves the bound: 0.01 is above 0.05's.
    const strict = computeDriftReport(table(c, 'reference'), table(c, 'current'), { ...DEFAULT_DRIFT_OPTIONS, categorical, multivariateSettings: { threshold: 'auto' } });
    expect(strict.multivariate!.upper).toBeGreaterThan(mv.upper);
  });

  it('std_multiplier and explained_variance reach the band and the fit', () => {
    const wide = computeDriftReport(table(c, 'reference'), table(c, 'current'), { ...DEFAULT_DRIFT_OPTIONS, categorical, multivariateSettings: { stdMultiplier: 6 } });
    expect(close(wide.multivariate!.upper, c.expected.reference_mean + (6 * c.expected.reference_std) / Math.sqrt(n))).toBe(true);
    expect(driftReportJson(wide).multivariate!.threshold_source).toBe('std');
    const more = computeDriftReport(table(c, 'reference'), table(c, 'current'), { ...DEFAULT_DRIFT_OPTIONS, categorical, multivariateSettings: { explainedVariance: 0.95 } });
    expect(more.multivariate!.components).toBeGreaterThan(wide.multivariate!.components);
  });
});
