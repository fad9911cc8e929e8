/**
 * Proof that the dashboards show data: a real Prometheus scrapes a real sidecar (started
 * in-process) that tails a drifting churn-model log, its labels and a KServe log, profiles a
 * reference CSV, and reads the model server's resources (this test process, plus a recorded
 * nvidia-smi). Then every query of every panel of every dashboard in grafana/src, with the
 * template variables substituted as Grafana would, goes through Prometheus's /api/v1/query; each
 * must parse and return at least one series with a finite value. The failure message names every
 * panel that comes back empty (or all NaN), with the query as it was sent.
 *
 * PENDING_METRICS lists metrics the dashboards already chart but that colleagues are still
 * implementing. A query that comes back empty and mentions one of them is reported (printed), not
 * failed, but only while that metric is not implemented, i.e. while its name is not a string
 * literal in any file reachable from src/main.ts through imports (implemented-metrics.ts). So
 * once an analyzer or collector that exposes the metric is wired in, this test enforces its panels
 * without anyone editing the list; if it then fails, the fixture or the config below has to
 * produce the metric (e.g. a fairness attribute), or the panel's query is wrong.
 *
 * ALERTS: the shipped rules (prometheus/rules/*.yml) are loaded, but their alerts need minutes of
 * `for:`, so one test rule (named like the shipped ones, which the panels select) fires from the
 * first evaluation to give the alerts panels data. The recording rules are loaded too, so panels
 * that chart recorded series (SLO ratios, drift duty cycle, fleet quality) are proven as well.
 *
 * The scrape target carries cluster and namespace labels, as a Kubernetes scrape (or a Thanos
 * query) gives them, so the scope variables ($cluster, $namespace, $instance) are exercised.
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DASHBOARDS } from '../../grafana/src/index.js';
import type { Modelwatch } from '../../src/main.js';
import { startPrometheus, waitFor, type RunningPrometheus } from '../helpers/prometheus.js';
import { startSidecar } from '../helpers/sidecar.js';
import { ChurnStream, logBatch, MODEL, unansweredKServeRequest, VERSION } from './drifting-fixture.js';
import { isImplemented, reachableSources, REPO_ROOT } from './implemented-metrics.js';
import { panelQueries, substitute, variableQueries, type PanelQuery } from './panel-queries.js';

/**
 * Charted metrics whose implementation is still under way, e.g. 'modelwatch_fairness'. Empty
 * since every metric the dashboards chart is reachable from src/main.ts.
 */
export const PENDING_METRICS: readonly string[] = [];

const WINDOW = { count: 500 };
/** The target labels a Kubernetes scrape would add. */
const CLUSTER = 'dev-eu';
const NAMESPACE = 'ml-test';
/** What a viewer would pick; $__rate_interval as Grafana computes it for a 1 s scrape, rounded up. */
const VALUES: Record<string, string> = {
  datasource: 'prometheus',
  cluster: CLUSTER,
  namespace: NAMESPACE,
  /** The sidecar's host:port, set once it listens. */
  instance: '',
  model: MODEL,
  version: VERSION,
  window: `last_${WINDOW.count}`,
  feature: 'age',
  method: 'psi',
  __rate_interval: '10s',
  __interval: '5s',
  __interval_ms: '5000',
  __range: '1m',
  __range_s: '60',
  __range_ms: '60000',
};

const FAKE_SMI = join(REPO_ROOT, 'test/fixtures/collectors/fake-bin/nvidia-smi');
const SMI_CASE = join(REPO_ROOT, 'test/fixtures/collectors/nvidia-smi/h100-1gpu');
const RULES_DIR = join(REPO_ROOT, 'prometheus/rules');
const TEST_RULES = `groups:
  - name: dashboard-test
    rules:
      - alert: ModelwatchDashboardTestAlwaysFiring
        expr: modelwatch_build_info == 1
        labels: { severity: info, team: platform }
`;

interface Outcome {
  query: PanelQuery;
  expr: string;
  /** nan: series came back, but none with a finite value (e.g. a quantile of zero rates). */
  kind: 'data' | 'nan' | 'empty' | 'error';
  detail?: string;
}

const mentions = (expr: string, metric: string) => new RegExp(`\\b${metric}(?:_bucket|_count|_sum)?\\b`).test(expr);

describe('dashboards against a real Prometheus scraping a real sidecar', () => {
  let dir: string;
  let sidecar: Modelwatch;
  let prom: RunningPrometheus;
  let writer: NodeJS.Timeout | undefined;
  const savedCase = process.env.FAKE_NVIDIA_SMI_CASE;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-dash-'));
    const stream = new ChurnStream(20240515);
    const files = { reference: join(dir, 'reference.csv'), requests: join(dir, 'requests.jsonl'), labels: join(dir, 'labels.jsonl'), kserve: join(dir, 'kserve.jsonl') };
    writeFileSync(files.reference, stream.referenceCsv(1000));
    const now = Date.now() / 1000;
    // The first half looks like the reference, the second half drifts; the live writer keeps drifting.
    const before = logBatch(stream, 0, 600, false, now - 60);
    const after = logBatch(stream, 600, 600, true, now - 30);
    writeFileSync(files.requests, [...before.requests, ...after.requests].join('\n') + '\n');
    writeFileSync(files.labels, [...before.labels, ...after.labels].join('\n') + '\n');
    writeFileSync(files.kserve, unansweredKServeRequest(now) + '\n');
    process.env.FAKE_NVIDIA_SMI_CASE = SMI_CASE;

    const file = (name: string, path: string, extra: Record<string, unknown> = {}) => ({ type: 'file', name, paths: [path], start_at: 'beginning', poll_interval: '100ms', ...extra });
    sidecar = await startSidecar({
      sources: [file('requests', files.requests), file('labels', files.labels, { role: 'labels' }), file('kserve', files.kserve, { format: { preset: 'kserve' } })],
      pairing: { ttl: '10m' },
      reference: { path: files.reference, prediction_column: 'prediction', label_column: 'label' },
      drift: { interval: '1s', min_samples: 50, windows: [WINDOW] },
      // The reference's 0/1 predictions would otherwise make its baseline a regression's (mae, r2…).
      quality: { task: 'classification', segments: { fields: ['region'] }, fairness: { attribute: 'region' } },
      resources: { target: { pid: process.pid }, interval: '1s', gpu: { nvidia_smi: FAKE_SMI, interval: '1s' } },
      // The checkpoint panels chart its age and failures.
      checkpoint: { path: join(dir, 'offsets.json'), interval: '1s' },
    });
    VALUES.instance = new URL(sidecar.url!).host;
    let next = 1200;
    writer = setInterval(() => {
      const batch = logBatch(stream, next, 20, true, Date.now() / 1000);
      next += 20;
      appendFileSync(files.requests, batch.requests.join('\n') + '\n');
      appendFileSync(files.labels, batch.labels.join('\n') + '\n');
    }, 200);

    const ruleFiles: Record<string, string> = { 'dashboard-test.rules.yml': TEST_RULES };
    for (const f of readdirSync(RULES_DIR).filter((n) => /\.ya?ml$/.test(n))) ruleFiles[`shipped-${f}`] = readFileSync(join(RULES_DIR, f), 'utf8');
    prom = await startPrometheus(
      `global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files: [${Object.keys(ruleFiles).map((f) => `'${f}'`).join(', ')}]
scrape_configs:
  - job_name: modelwatch
    static_configs: [{ targets: ['${VALUES.instance}'], labels: { cluster: '${CLUSTER}', namespace: '${NAMESPACE}' } }]
`,
      ruleFiles,
    );
  });

  afterAll(async () => {
    clearInterval(writer);
    await prom?.stop();
    await sidecar?.stop();
    if (savedCase === undefined) delete process.env.FAKE_NVIDIA_SMI_CASE;
    else process.env.FAKE_NVIDIA_SMI_CASE = savedCase;
    rmSync(dir, { recursive: true, force: true });
  });

  async function run(q: PanelQuery): Promise<Outcome> {
    const expr = substitute(q.expr, VALUES);
    const res = await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as { status: string; error?: string; data?: { result: { value: [number, string] }[] } };
    if (body.status !== 'success') return { query: q, expr, kind: 'error', detail: body.error };
    const result = body.data?.result ?? [];
    if (result.length === 0) return { query: q, expr, kind: 'empty' };
    if (result.some((s) => Number.isFinite(Number(s.value[1])))) return { query: q, expr, kind: 'data' };
    return { query: q, expr, kind: 'nan', detail: `${result.length} series, none finite` };
  }

  it('fills every template variable with the value the queries are run with', async () => {
    await waitFor('a drift verdict in Prometheus', async () => ((await prom.query('modelwatch_feature_drifted')).length > 0 ? true : undefined), 30_000, 250);
    for (const d of DASHBOARDS.map((x) => x.build())) {
      for (const v of variableQueries(d)) {
        const match = substitute(v.series, VALUES);
        const res = await fetch(`${prom.url}/api/v1/label/${v.label}/values?match[]=${encodeURIComponent(match)}`);
        const body = (await res.json()) as { status: string; data: string[] };
        expect(body.data, `${d.title}: $${v.variable} = label_values(${match}, ${v.label})`).toContain(VALUES[v.variable]);
      }
    }
  });

  it('returns data for every query of every panel (pending metrics reported, not failed)', async () => {
    const queries = DASHBOARDS.flatMap((d) => panelQueries(d.build()));
    const sources = reachableSources();
    const pendingNow = PENDING_METRICS.filter((m) => !isImplemented(m, sources));
    const excused = (o: Outcome) => o.kind === 'empty' && pendingNow.some((m) => mentions(o.expr, m));
    const unused = PENDING_METRICS.filter((m) => !queries.some((q) => mentions(q.expr, m)));
    expect(unused, 'PENDING_METRICS entries no panel queries').toEqual([]);

    // Rates need two scrapes in range and the drift tick must have run: poll until only errors
    // and excused queries are left without data, or give up and report what is empty.
    let outcomes: Outcome[] = [];
    await waitFor(
      'every panel query to return data',
      async () => {
        outcomes = [];
        for (const q of queries) outcomes.push(await run(q));
        return outcomes.some((o) => (o.kind === 'empty' || o.kind === 'nan') && !excused(o)) ? undefined : true;
      },
      40_000,
      1000,
    ).catch(() => undefined);

    const name = (o: Outcome) => `${o.query.dashboard} / ${o.query.panel} [${o.query.refId}] ${o.kind}: ${o.expr}${o.detail ? ` (${o.detail})` : ''}`;
    const pending = outcomes.filter(excused);
    const withData = outcomes.filter((o) => o.kind === 'data').length;
    console.log(
      `dashboards: ${DASHBOARDS.length}, queries: ${outcomes.length}, with data: ${withData}, pending: ${pending.length}\n` +
        `metrics still pending (not reachable from src/main.ts): ${pendingNow.join(', ') || 'none'}\n` +
        pending.map((o) => `  pending  ${name(o)}`).join('\n'),
    );
    const implementedButListed = PENDING_METRICS.filter((m) => !pendingNow.includes(m));
    if (implementedButListed.length > 0) console.log(`implemented now, enforced (drop them from PENDING_METRICS): ${implementedButListed.join(', ')}`);

    const failures = outcomes.filter((o) => o.kind !== 'data' && !excused(o));
    expect(failures.map(name), `panels without data:\n${failures.map(name).join('\n')}`).toEqual([]);
    expect(withData).toBeGreaterThan(outcomes.length / 2);
  });

  it('runs every annotation query (firing alerts, new model versions) without error', async () => {
    for (const d of DASHBOARDS.map((x) => x.build())) {
      for (const a of d.annotations?.list ?? []) {
        const expr = substitute((a as { expr?: string }).expr ?? '', VALUES);
        const body = (await (await fetch(`${prom.url}/api/v1/query?query=${encodeURIComponent(expr)}`)).json()) as { status: string; error?: string };
        expect(body.status, `${d.title} / ${a.name}: ${expr}: ${body.error ?? ''}`).toBe('success');
      }
    }
    // The test alert fires and carries the target's namespace, so the alert annotation finds it.
    const firing = await prom.query(substitute('ALERTS{alertstate="firing", alertname=~"Modelwatch.*", cluster=~"$cluster", namespace=~"$namespace"}', VALUES));
    expect(firing.map((s) => s.metric.alertname)).toContain('ModelwatchDashboardTestAlwaysFiring');
  });

  it('evaluates the shipped rule files beside the test rule', async () => {
    const body = (await (await fetch(`${prom.url}/api/v1/rules`)).json()) as { data: { groups: { file: string }[] } };
    const files = new Set(body.data.groups.map((g) => g.file.split('/').at(-1)));
    const shipped = readdirSync(RULES_DIR).filter((n) => /\.ya?ml$/.test(n));
    expect([...files].sort()).toEqual(['dashboard-test.rules.yml', ...shipped.map((f) => `shipped-${f}`)].sort());
  });

  it('shows the fixture drifting: age, tenure and plan drift, income and region do not', async () => {
    const drifted = await prom.query(`modelwatch_feature_drifted{model="${MODEL}", window="${VALUES.window}"}`);
    const verdicts = Object.fromEntries(drifted.map((s) => [s.metric.feature, s.value[1]]));
    expect(verdicts).toEqual({ age: '1', tenure_months: '1', plan: '1', income: '0', region: '0' });
  });
});
