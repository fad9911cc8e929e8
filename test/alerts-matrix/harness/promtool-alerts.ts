/**
 * Which alerts the shipped rules fire, and when, on a scenario's series: `promtool test rules` with
 * the rule files as shipped, the series as input, and at every evaluation time a test that expects
 * no firing alert (`ALERTS{alertstate="firing"}` with `exp_samples: []`). Every time an alert fires,
 * that test fails and promtool prints what it got, its labels included; the failures are the
 * timeline. Extra expressions (a recording rule's value) are read the same way.
 */
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { requireBinary } from '../../helpers/binaries.js';
import type { InputSeries } from './promtool-series.js';

export interface Query {
  expr: string;
  /** Minutes from the scenario's origin. */
  atMinute: number;
}

export interface QueryResult {
  labels: Record<string, string>;
  value: number;
}

export interface RuleRun {
  /** Minute of every evaluation, ascending. */
  evaluations: number[];
  /** For every firing alert (its labels), the minutes it was firing at. */
  firing: { labels: Record<string, string>; minutes: number[] }[];
  /** Results of the extra queries, by `${expr}@${minute}`. */
  queries: Map<string, QueryResult[]>;
  seconds: number;
}

const FIRING = 'ALERTS{alertstate="firing"}';

/** Minutes in a Prometheus duration as promtool prints it (`1d2h3m`, `45m`, `0s`). */
export function durationMinutes(text: string): number {
  const unit: Record<string, number> = { y: 525_600, w: 10_080, d: 1_440, h: 60, m: 1, s: 1 / 60, ms: 1 / 60_000 };
  let total = 0;
  for (const [, n, u] of text.matchAll(/(\d+)(ms|y|w|d|h|m|s)/g)) total += Number(n) * unit[u];
  return Math.round(total * 1000) / 1000;
}

/** `{a="1", b="x\"y"} 1E+00, {…} 2E+00` as promtool prints a vector. */
export function parseVector(text: string): QueryResult[] {
  const out: QueryResult[] = [];
  let i = 0;
  while (i < text.length) {
    while (text[i] === ' ' || text[i] === ',') i++;
    if (i >= text.length) break;
    if (text[i] !== '{') throw new Error(`cannot parse promtool vector at ${i}: ${text.slice(i, i + 80)}`);
    i++;
    const labels: Record<string, string> = {};
    while (text[i] !== '}') {
      while (text[i] === ' ' || text[i] === ',') i++;
      const eq = text.indexOf('=', i);
      const key = text.slice(i, eq);
      let j = eq + 2;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      labels[key] = JSON.parse(text.slice(eq + 1, j + 1)) as string;
      i = j + 1;
    }
    i++;
    const end = text.indexOf(', {', i);
    const value = text.slice(i, end < 0 ? text.length : end).trim();
    out.push({ labels, value: Number(value) });
    i = end < 0 ? text.length : end;
  }
  return out;
}

export interface RuleRunOptions {
  dir: string;
  ruleFiles: string[];
  /** group_eval_order: the order promtool evaluates the groups in at each evaluation. */
  groupOrder: string[];
  series: InputSeries[];
  stepSeconds: number;
  evaluationMinutes: number;
  /** Last minute to evaluate (inclusive). */
  untilMinute: number;
  queries?: Query[];
}

function promtool(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(requireBinary('promtool'), args, { maxBuffer: 1 << 30 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

export async function runRules(o: RuleRunOptions): Promise<RuleRun> {
  const evaluations: number[] = [];
  for (let m = 0; m <= o.untilMinute; m += o.evaluationMinutes) evaluations.push(m);
  const tests = [
    ...evaluations.map((m) => ({ expr: FIRING, eval_time: `${m}m`, exp_samples: [] })),
    ...(o.queries ?? []).map((q) => ({ expr: q.expr, eval_time: `${q.atMinute}m`, exp_samples: [] })),
  ];
  const file = join(o.dir, 'promtool-test.json');
  // JSON is YAML: promtool reads it as a rule test file.
  writeFileSync(
    file,
    JSON.stringify({
      rule_files: o.ruleFiles,
      evaluation_interval: `${o.evaluationMinutes}m`,
      group_eval_order: o.groupOrder,
      tests: [{ interval: `${o.stepSeconds}s`, input_series: o.series, promql_expr_test: tests }],
    }),
  );
  const started = performance.now();
  const { code, output } = await promtool(['test', 'rules', file]);
  const seconds = (performance.now() - started) / 1000;
  if (code !== 0 && !output.includes('FAILED:')) throw new Error(`promtool test rules failed (exit ${code}):\n${output.slice(0, 4000)}`);

  const firing = new Map<string, { labels: Record<string, string>; minutes: number[] }>();
  const queries = new Map<string, QueryResult[]>();
  const lines = output.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const head = /^\s*expr: (".*"), time: (\S+),$/.exec(lines[k]);
    if (!head) continue;
    const got = /^\s*got: (.*)$/.exec(lines[k + 2] ?? '');
    if (!got) throw new Error(`unexpected promtool output after ${lines[k]}:\n${lines.slice(k, k + 4).join('\n')}`);
    const expr = JSON.parse(head[1]) as string;
    const minute = durationMinutes(head[2]);
    const vector = got[1] === 'nil' ? [] : parseVector(got[1]);
    if (expr !== FIRING) {
      queries.set(`${expr}@${minute}`, vector);
      continue;
    }
    for (const { labels } of vector) {
      const { __name__: _n, alertstate: _s, ...alert } = labels;
      const key = JSON.stringify(Object.entries(alert).sort());
      let f = firing.get(key);
      if (!f) firing.set(key, (f = { labels: alert, minutes: [] }));
      f.minutes.push(minute);
    }
  }
  for (const f of firing.values()) f.minutes.sort((a, b) => a - b);
  return { evaluations, firing: [...firing.values()], queries, seconds };
}
