/**
 * The alert scenario matrix as a vitest suite: each scenario is a log (or a container) with known
 * incidents at known minutes, turned into scraped series by the real sidecar code (modelwatch
 * replay, the resource collectors, a live sidecar), and evaluated by `promtool test rules` with the
 * rule files exactly as shipped. Every cell must match: the right alert fires within its time, once
 * per incident, naming the replica or namespace it concerns, and nothing else pages. The scenarios
 * are split over two test files so vitest runs them on both cores; docs/alerts.md shows the whole
 * matrix (`npm run alerts:matrix -- --write`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { blockIn, matrixTable, scenarioList } from './harness/matrix-table.js';
import { runMatrix, type ScenarioResult } from './harness/run-scenario.js';
import { SCENARIOS } from './scenarios/index.js';

/** Lines of the table (without its header) or list that must appear in the doc. */
const bodyLines = (text: string) => text.split('\n').filter((l) => l.startsWith('| ') || l.startsWith('- '));

export function matrixSuite(title: string, ids: readonly string[]): void {
  const scenarios = SCENARIOS.filter((s) => ids.includes(s.id));
  if (scenarios.length !== ids.length) throw new Error(`unknown scenario ids in ${ids.join(', ')}`);

  describe(`alert scenario matrix, ${title}: the shipped rules on replayed incidents`, () => {
    let results: ScenarioResult[] = [];

    beforeAll(async () => {
      results = await runMatrix(scenarios);
      console.log(`\n${matrixTable(results.flatMap((r) => r.rows))}`);
    }, 600_000);

    it.each(scenarios.map((s) => [s.id, s.title]))('%s. %s', (id) => {
      const result = results.find((r) => r.scenario.id === id)!;
      expect(result.rows.flatMap((r) => r.problems)).toEqual([]);
    });

    it('docs/alerts.md shows these rows of the matrix (npm run alerts:matrix -- --write)', () => {
      const doc = blockIn(readFileSync(join(ROOT, 'docs', 'alerts.md'), 'utf8')) ?? '';
      const shown = new Set(bodyLines(doc));
      const mine = bodyLines(matrixTable(results.flatMap((r) => r.rows))).slice(1).concat(bodyLines(scenarioList(scenarios)));
      expect(mine.filter((line) => !shown.has(line))).toEqual([]);
    });
  });
}
