/**
 * The matrix as Markdown: the table `npm run alerts:matrix` prints and docs/alerts.md shows (between
 * its alerts-matrix markers), and the list of scenarios with their data and incidents.
 */
import type { Scenario } from '../scenarios/scenario.js';
import type { Row } from './verdict.js';

const HEADER = ['scenario', 'expected alert', 'fired?', 'minutes from incident start to firing', 'notifications per incident', 'pages outside incidents', 'other alerts'];

export const MATRIX_START = '<!-- alerts-matrix:start (npm run alerts:matrix -- --write) -->';
export const MATRIX_END = '<!-- alerts-matrix:end -->';

const cell = (text: string) => text.replace(/\|/g, '\\|');

export function matrixTable(rows: readonly Row[]): string {
  const lines = [`| ${HEADER.join(' | ')} |`, `|${HEADER.map(() => '---').join('|')}|`];
  let last = '';
  for (const r of rows) {
    const scenario = r.scenario === last ? '″' : r.scenario;
    last = r.scenario;
    lines.push(`| ${[scenario, r.expected, r.fired, r.minutesToFire, r.notifications, r.pagesOutside, r.otherAlerts].map(cell).join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}

export function scenarioList(scenarios: readonly Scenario[]): string {
  return (
    scenarios
      .map((s) => {
        const incidents = s.incidents.filter((i) => i.start >= 0).map((i) => `"${i.name}" from minute ${i.start}`);
        return `- **${s.id}.** ${s.data}; ${incidents.length ? incidents.join(', ') : 'no incident'}; evaluated every ${s.evaluationMinutes} min.`;
      })
      .join('\n') + '\n'
  );
}

/** The block docs/alerts.md holds between its markers. */
export function matrixBlock(scenarios: readonly Scenario[], rows: readonly Row[]): string {
  return `${MATRIX_START}\n\n${matrixTable(rows)}\n${scenarioList(scenarios)}\n${MATRIX_END}`;
}

/** The block in a document's text, or undefined without markers. */
export function blockIn(doc: string): string | undefined {
  const start = doc.indexOf(MATRIX_START);
  const end = doc.indexOf(MATRIX_END);
  return start < 0 || end < start ? undefined : doc.slice(start, end + MATRIX_END.length);
}
