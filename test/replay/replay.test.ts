/**
 * `modelwatch replay` end to end: a real log (and a label log) replayed into OpenMetrics, loaded with
 * the real `promtool tsdb create-blocks-from openmetrics`, and queried from a real Prometheus started
 * on those blocks: range queries return the replayed values.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runReplayCommand } from '../../src/replay/replay-command.js';
import { requireBinary } from '../helpers/binaries.js';
import { fixtureLog } from '../helpers/fixture-log.js';
import { startPrometheus, type RunningPrometheus } from '../helpers/prometheus.js';

class Capture {
  text = '';
  write(chunk: string | Buffer): boolean {
    this.text += String(chunk);
    return true;
  }
}

async function replayCli(args: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  const stdout = new Capture();
  const stderr = new Capture();
  const code = await runReplayCommand(args, { stdout: stdout as unknown as NodeJS.WritableStream, stderr: stderr as unknown as NodeJS.WritableStream });
  return { code, stderr: stderr.text, stdout: stdout.text };
}

/** `name{labels} value timestamp` lines of one series in an OpenMetrics file, as [t, value]. */
function seriesOf(om: string, name: string, labels: Record<string, string>): [number, number][] {
  const out: [number, number][] = [];
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of om.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const close = line.lastIndexOf('}');
    const parts = line.slice(name.length + 1, close).split(',');
    if (parts.length !== wanted.length || !wanted.every((w) => parts.includes(w))) continue;
    const [value, t] = line.slice(close + 2).split(' ');
    out.push([Number(t), Number(value)]);
  }
  return out;
}

// An hour of traffic at 1 record/s, starting on a recent hour (Prometheus must not treat it as ancient).
const START = Math.floor(Date.now() / 3_600_000) * 3_600_000 - 3 * 3_600_000;
const dir = mkdtempSync(join(tmpdir(), 'mw-replay-'));
const LOG = join(dir, 'app.log');
const LABELS = join(dir, 'labels.log');

function writeConfig(name: string, extra = ''): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `sources:
  - type: file
    paths: [${LOG}]
    format: { fields: { version: model_version, latency: latency_ms } }
  - type: file
    role: labels
    paths: [${LABELS}]
reference: { path: ${join(dir, 'ref.csv')} }
drift: { windows: [{ duration: 5m }], min_samples: 50 }
${extra}`,
  );
  return path;
}

describe('modelwatch replay → promtool → Prometheus', () => {
  let prom: RunningPrometheus;
  let om = '';
  let summary = '';

  beforeAll(async () => {
    const log = fixtureLog(3600, 7, START);
    writeFileSync(LOG, log.lines.join('\n') + '\n');
    writeFileSync(join(dir, 'ref.csv'), log.referenceCsv);
    // Ground truth arrives 30 s after each prediction, in its own log.
    const labels = log.lines
      .filter((l) => l.startsWith('{"timestamp"'))
      .map((l) => JSON.parse(l) as { timestamp: string; request_id: string; prediction: number })
      .map((r) => JSON.stringify({ timestamp: new Date(Date.parse(r.timestamp) + 30_000).toISOString(), request_id: r.request_id, label: r.prediction + 0.05 }));
    writeFileSync(LABELS, labels.join('\n') + '\n');
    const out = join(dir, 'history.om');
    const res = await replayCli(['--config', writeConfig('config.yaml'), '--out', out, '--step', '15s']);
    expect(res.code, res.stderr).toBe(0);
    summary = res.stderr;
    om = readFileSync(out, 'utf8');
    const promtool = requireBinary('promtool');
    prom = await startPrometheus('global: { scrape_interval: 15s }\n', {}, {
      prepareData: (data) => {
        const made = spawnSync(promtool, ['tsdb', 'create-blocks-from', 'openmetrics', out, data], { encoding: 'utf8' });
        expect(made.status, `${made.stdout}${made.stderr}`).toBe(0);
      },
    });
  }, 120_000);
  afterAll(async () => prom?.stop());

  it('says what it replayed and ends the file in # EOF', () => {
    expect(summary).toMatch(/replayed 3600 records and 3600 labels from 2 source\(s\)/);
    expect(summary).toContain('promtool tsdb create-blocks-from openmetrics');
    expect(om.endsWith('# EOF\n')).toBe(true);
    // One step every 15 s of record time: the hour of predictions, then the last label (30 s later),
    // up to the step that follows it (00:00:00 … 01:00:30 is 243 steps).
    const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');
    expect(summary).toContain(`243 steps from ${iso(START)} to ${iso(START + 3_630_000)}`);
  });

  it('a range query of the drift score returns the replayed values at every step', async () => {
    const labels = { model: 'churn', version: 'v3', feature: 'age', method: 'psi', window: '5m' };
    const replayed = seriesOf(om, 'modelwatch_feature_drift_score', labels);
    expect(replayed.length).toBeGreaterThan(200);
    const [first, last] = [replayed[0][0], replayed.at(-1)![0]];
    const result = await prom.queryRange(`modelwatch_feature_drift_score{feature="age",method="psi",window="5m"}`, first, last, 15);
    expect(result).toHaveLength(1);
    const got = new Map(result[0].values.map(([t, v]) => [t, Number(v)]));
    for (const [t, v] of replayed) expect(got.get(t), `at ${new Date(t * 1000).toISOString()}`).toBeCloseTo(v, 12);
    // Record time drives the windows: unshifted in the first half of the hour, drifted in the second.
    const at = (minute: number) => replayed.find(([t]) => t >= START / 1000 + minute * 60)![1];
    expect(at(20)).toBeLessThan(0.2);
    expect(at(55)).toBeGreaterThan(0.2);
  });

  it('rate() over the replayed counters is the replayed traffic: 1 record/s, one failure in 50', async () => {
    const mid = START / 1000 + 1800;
    const [ok] = await prom.queryRange('sum(rate(modelwatch_requests_total{outcome="success"}[5m]))', mid, mid, 15);
    const [failed] = await prom.queryRange('sum(rate(modelwatch_requests_total{outcome="error"}[5m]))', mid, mid, 15);
    expect(Number(ok.values[0][1])).toBeCloseTo(49 / 50, 1);
    expect(Number(failed.values[0][1])).toBeCloseTo(1 / 50, 2);
  });

  it('labels interleave by their own times: joined ground truth gives model quality', async () => {
    const joined = await prom.query(`max_over_time(modelwatch_labels_total{outcome="joined"}[4h])`);
    expect(joined.map((s) => Number(s.value[1])).reduce((a, b) => a + b, 0)).toBeGreaterThan(3000);
  });
});

describe('modelwatch replay: bad input is a clear error with exit 2', () => {
  it.each([
    [['--config', 'x.yaml'], /--config and --out are required\nusage: modelwatch replay/],
    [['--config', 'x.yaml', '--out', 'o.om', '--from', '2026-01-02T00:00:00Z', '--to', '2026-01-01T00:00:00Z'], /--from must be before --to/],
    [['--config', 'x.yaml', '--out', 'o.om', '--step', '500ms'], /--step: expected at least 1s/],
    [['--config', 'x.yaml', '--out', 'o.om', '--from', 'yesterday'], /--from: expected an RFC 3339 time/],
    [['--config', 'x.yaml', '--out', 'o.om', '--labels', 'job'], /--labels: expected name=value pairs/],
  ])('%j', async (args, message) => {
    const res = await replayCli(args);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(message);
  });

  it('a source file that cannot be read, or a source with no timestamps', async () => {
    const missing = join(dir, 'missing.yaml');
    writeFileSync(missing, `sources: [{ type: file, paths: [${join(dir, 'nope.log')}] }]\n`);
    const a = await replayCli(['--config', missing, '--out', join(dir, 'a.om')]);
    expect(a.code).toBe(2);
    expect(a.stderr).toContain(`cannot read ${join(dir, 'nope.log')} (ENOENT)`);

    const untimed = join(dir, 'untimed.log');
    writeFileSync(untimed, Array.from({ length: 20 }, (_, i) => JSON.stringify({ features: { x: i }, prediction: 1 })).join('\n') + '\n');
    const cfg = join(dir, 'untimed.yaml');
    writeFileSync(cfg, `sources: [{ type: file, paths: [${untimed}] }]\n`);
    const b = await replayCli(['--config', cfg, '--out', join(dir, 'b.om')]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/source "file": none of its first 20 records has a timestamp \(field "timestamp"\)/);
  });
});

describe('modelwatch replay: records out of order', () => {
  it('within the tolerance they count; older ones are counted as skipped, never reordered', async () => {
    const t0 = START + 86_400_000;
    const line = (s: number) => JSON.stringify({ timestamp: new Date(t0 + s * 1000).toISOString(), features: { x: s }, prediction: 1, status: 200 });
    const log = join(dir, 'ooo.log');
    writeFileSync(log, [...Array.from({ length: 100 }, (_, i) => line(i)), line(90), line(-600), line(100)].join('\n') + '\n');
    const cfg = join(dir, 'ooo.yaml');
    writeFileSync(cfg, `sources: [{ type: file, paths: [${log}] }]\n`);
    const out = join(dir, 'ooo.om');
    const res = await replayCli(['--config', cfg, '--out', out, '--labels', 'job=modelwatch,namespace=prod']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toContain('replayed 102 records');
    expect(res.stderr).toContain('skipped 1 records out of order by more than 30 s');
    // --labels: every sample carries the target labels a scrape would have added.
    const requests = seriesOf(readFileSync(out, 'utf8'), 'modelwatch_requests_total', { job: 'modelwatch', namespace: 'prod', model: 'model', version: 'unknown', outcome: 'success', code: '2xx' });
    expect(requests.at(-1)![1]).toBe(102);
    // Counters never go back within the file.
    for (let i = 1; i < requests.length; i++) expect(requests[i][1]).toBeGreaterThanOrEqual(requests[i - 1][1]);
  });
});

describe('modelwatch replay: --to past the end of the logs', () => {
  it('goes on stepping while the log is silent: counters held, windows emptied', async () => {
    const t0 = START + 2 * 86_400_000;
    const log = join(dir, 'stalled.log');
    const lines = Array.from({ length: 600 }, (_, i) => JSON.stringify({ timestamp: new Date(t0 + i * 1000).toISOString(), features: { x: i % 7 }, prediction: 1, status: 200 }));
    writeFileSync(log, lines.join('\n') + '\n');
    const cfg = join(dir, 'stalled.yaml');
    writeFileSync(cfg, `sources: [{ type: file, name: app, paths: [${log}] }]\ndrift: { windows: [{ duration: 5m }], min_samples: 50 }\nreference: { warmup_records: 100 }\n`);
    const out = join(dir, 'stalled.om');
    const to = new Date(t0 + 30 * 60_000).toISOString();
    const res = await replayCli(['--config', cfg, '--out', out, '--step', '60s', '--to', to]);
    expect(res.code, res.stderr).toBe(0);
    // 10 minutes of log, then 20 silent minutes up to --to: 31 steps.
    expect(res.stderr).toContain(`31 steps from ${new Date(t0).toISOString().replace('.000Z', 'Z')} to ${to.replace('.000Z', 'Z')}`);
    const om = readFileSync(out, 'utf8');
    const read = seriesOf(om, 'modelwatch_log_lines_total', { source: 'app' });
    expect(read.at(-1)).toEqual([(t0 + 30 * 60_000) / 1000, 600]);
    const samples = seriesOf(om, 'modelwatch_feature_window_samples', { model: 'model', version: 'unknown', feature: 'x', window: '5m' });
    expect(samples.find(([t]) => t === (t0 + 10 * 60_000) / 1000)?.[1]).toBeGreaterThan(250);
    expect(samples.at(-1)?.[1] ?? 0).toBe(0);
  });
});
