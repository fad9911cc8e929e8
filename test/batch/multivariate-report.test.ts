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
