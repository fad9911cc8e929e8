/**
 * `npm run alerts:matrix`: runs the alert scenario matrix (test/alerts-matrix) and prints it as the
 * Markdown table docs/alerts.md shows; `-- --write` puts it there. Exit 1 when a cell misses its
 * expectation (what did is printed below the table).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { blockIn, matrixBlock } from '../test/alerts-matrix/harness/matrix-table.js';
import { runMatrix } from '../test/alerts-matrix/harness/run-scenario.js';
import { SCENARIOS } from '../test/alerts-matrix/scenarios/index.js';
import { ROOT } from '../test/helpers/cli.js';

const started = performance.now();
const results = await runMatrix(SCENARIOS, (r) => process.stderr.write(`${r.scenario.id}. ${r.scenario.title}: ${r.series} series, build ${r.seconds.build.toFixed(1)} s, promtool ${r.seconds.promtool.toFixed(1)} s\n`));
const rows = results.flatMap((r) => r.rows);
const block = matrixBlock(SCENARIOS, rows);
process.stdout.write(`${block}\n`);
const problems = rows.flatMap((r) => r.problems);
if (problems.length > 0) process.stdout.write(`\n${problems.map((p) => `✗ ${p}`).join('\n')}\n`);
process.stderr.write(`${SCENARIOS.length} scenarios in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
if (process.argv.includes('--write')) {
  const path = join(ROOT, 'docs', 'alerts.md');
  const doc = readFileSync(path, 'utf8');
  const old = blockIn(doc);
  if (old === undefined) throw new Error(`${path} has no alerts-matrix markers`);
  writeFileSync(path, doc.replace(old, block));
  process.stderr.write(`wrote the matrix into ${path}\n`);
}
process.exitCode = problems.length > 0 ? 1 : 0;
