/**
 * Scenarios end to end: their series (replayed logs, collector runs, a live sidecar), promtool with
 * the shipped rules over them, and the matrix rows. A scenario's promtool run overlaps the next
 * scenario's build (a child process beside the replay), so the tier uses both cores.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Scenario } from '../scenarios/scenario.js';
import { inputSeries } from './promtool-series.js';
import type { Keep } from './series.js';
import { runRules, type RuleRun } from './promtool-alerts.js';
import { shippedRules } from './shipped-rules.js';
import { scenarioRows, type Row } from './verdict.js';

export interface ScenarioResult {
  scenario: Scenario;
  rows: Row[];
  run?: RuleRun;
  series: number;
  seconds: { build: number; promtool: number };
}

/** A scenario that cannot run yet (a metric the sidecar does not export): one failing row that says why. */
function blockedResult(s: Scenario, reason: string): ScenarioResult {
  const e = s.expect[0];
  const row: Row = { scenario: `${s.id}. ${s.title}`, expected: e.alert.replace(/^Modelwatch/, ''), fired: `blocked ✗`, minutesToFire: '–', notifications: '–', pagesOutside: '–', otherAlerts: '–', ok: false, problems: [reason] };
  return { scenario: s, rows: [row], series: 0, seconds: { build: 0, promtool: 0 } };
}

/** Builds the scenario's series now; resolves to its result once promtool is done. */
async function start(s: Scenario): Promise<() => Promise<ScenarioResult>> {
  const rules = shippedRules();
  const checked = (s.checks ?? []).map((c) => ({ names: new Set(c.queries.flatMap((q) => [...rules.inputsOf(q.expr)])), series: c.series ?? (() => true) }));
  const keep: Keep = (name, labels) => rules.alertInputs.has(name) || checked.some((c) => c.names.has(name) && c.series(name, labels));
  const dir = mkdtempSync(join(tmpdir(), `mw-matrix-${s.id}-`));
  // MW_MATRIX_KEEP=1 keeps the logs, configs, replays and promtool file of every scenario.
  const cleanup = () => (process.env.MW_MATRIX_KEEP ? process.stderr.write(`kept ${dir}\n`) : rmSync(dir, { recursive: true, force: true }));
  const started = performance.now();
  let built: Awaited<ReturnType<Scenario['build']>>;
  try {
    built = await s.build({ dir, keep });
  } catch (err) {
    cleanup();
    const message = (err as Error).message;
    if (message.startsWith('blocked:')) return async () => blockedResult(s, message);
    throw err;
  }
  const build = (performance.now() - started) / 1000;
  const input = inputSeries(built.series);
  const running = runRules({
    dir,
    ruleFiles: rules.files,
    groupOrder: rules.groupOrder,
    series: input,
    stepSeconds: built.series.stepSeconds,
    evaluationMinutes: s.evaluationMinutes,
    untilMinute: built.minutes,
    queries: (s.checks ?? []).flatMap((c) => c.queries),
  }).finally(cleanup);
  return async () => {
    const run = await running;
    return { scenario: s, rows: scenarioRows(s, run, rules.severity), run, series: input.length, seconds: { build, promtool: run.seconds } };
  };
}

export async function runScenario(s: Scenario): Promise<ScenarioResult> {
  return (await start(s))();
}

/** Every scenario, in order; each one's promtool runs while the next one is built. */
export async function runMatrix(scenarios: readonly Scenario[], onResult?: (r: ScenarioResult) => void): Promise<ScenarioResult[]> {
  const finishing: Promise<ScenarioResult>[] = [];
  for (const s of scenarios) {
    const finish = await start(s);
    const result = finish().then((r) => (onResult?.(r), r));
    // Awaited below; a failure must not count as unhandled while the next scenario builds.
    result.catch(() => undefined);
    finishing.push(result);
  }
  return Promise.all(finishing);
}
