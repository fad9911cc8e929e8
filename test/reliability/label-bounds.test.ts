/**
 * Log content cannot take /metrics down. Every metric family in the registry is enumerated, so a
 * metric added later is checked without being named here: after hostile records (1 MB model names,
 * 400 models with labels, long feature, class, error and custom label values) each family has at
 * most metrics.max_series_per_metric label sets and no label value longer than
 * metrics.max_label_value_length. A family that fails to render is left out and counted; a render
 * that fails as a whole answers with the self-metrics.
 */
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { configSchema } from '../../src/config/schema.js';
import { ManualClock } from '../../src/core/clock.js';
import { buildPipeline, registerPipelineSelfMetrics } from '../../src/main.js';
import { registerSnapshot, SnapshotMetric } from '../../src/metrics/snapshot-metric.js';
import { promtoolCheckMetrics } from '../helpers/prometheus.js';
import { startSidecar } from '../helpers/sidecar.js';

const MAX_SERIES = 500;
// Below the analyzers' own 64-character cut (custom labels, unexpected features), so this guard acts too.
const MAX_LENGTH = 40;
const T0 = Date.UTC(2026, 5, 1);

/** Families without a snapshot collector: labels from config or hardware, never from logs. */
const NOT_FROM_LOGS = /^(process_|nodejs_|modelwatch_target_|modelwatch_gpu_)/;

/** family → label sets (buckets of one histogram series count once), and the longest label value. */
function families(text: string): Map<string, { sets: Set<string>; longest: number }> {
  const out = new Map<string, { sets: Set<string>; longest: number }>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const brace = line.indexOf('{');
    const name = (brace < 0 ? line.slice(0, line.indexOf(' ')) : line.slice(0, brace)).replace(/_(bucket|sum|count)$/, '');
    const labels = brace < 0 ? '' : line.slice(brace + 1, line.lastIndexOf('}'));
    let f = out.get(name);
    if (!f) out.set(name, (f = { sets: new Set(), longest: 0 }));
    let set = '';
    for (const m of labels.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) {
      const value = m[2].replace(/\\(.)/g, '$1');
      f.longest = Math.max(f.longest, [...value].length);
      if (m[1] !== 'le') set += `${m[1]}=${m[2]},`;
    }
    f.sets.add(set);
  }
  return out;
}

function hostilePipeline() {
  const clock = new ManualClock(T0);
  const config = configSchema.parse({
    reference: { warmup_records: 20 },
    drift: { windows: [{ count: 200 }], min_samples: 5 },
    metrics: { max_series_per_metric: MAX_SERIES, max_label_value_length: MAX_LENGTH },
    quality: { classes: undefined },
    custom_metrics: [{ name: 'tokens', path: 'tokens', type: 'counter', labels: { tenant: 'tenant' } }],
    resources: { enabled: false },
  });
  const p = buildPipeline({ config, logger: pino({ level: 'silent' }), clock });
  registerPipelineSelfMetrics(p, [{ name: 'src' }]);
  const records = p.newStream(config.ingest.format, 'records');
  const labels = p.newStream(config.ingest.format, 'labels');
  const record = (i: number, model: string, extra: Record<string, unknown> = {}) =>
    records.line(
      JSON.stringify({ timestamp: T0 / 1000, request_id: `r${i}`, model, model_version: 'v1', features: { x: i % 7, y: `c${i % 3}` }, prediction: `class-${i % 2}`, latency_ms: 3, status: 200, tokens: 1, ...extra }),
      'src',
    );
  return { p, record, labels, clock };
}

describe('every metric family is bounded', () => {
  it('hostile records: no family over its series cap, no label value over its length, /metrics still valid', async () => {
    const { p, record, labels } = hostilePipeline();
    const huge = (c: string) => c.repeat(1024 * 1024);
    let i = 0;
    // A normal model first (its warm-up gives the drift families), then 30 records with 1 MB names.
    for (; i < 100; i++) record(i, 'normal');
    for (let k = 0; k < 30; k++, i++) record(i, `${huge(String.fromCharCode(97 + (k % 26)))}${k}`);
    // 400 models, each with a label: labels_total must not grow 4 series per model.
    for (let k = 0; k < 400; k++, i++) {
      record(i, `model-${k}`, { error: k % 5 === 0 ? 'e'.repeat(64 * 1024) : undefined, status: k % 5 === 0 ? 500 : 200, tenant: `${'t'.repeat(500)}${k}` });
      labels.line(JSON.stringify({ timestamp: T0 / 1000, request_id: `r${i}`, model: `model-${k}`, model_version: 'v1', label: `class-${k % 2}` }), 'labels');
    }
    // A feature named by the log, far too long.
    for (let k = 0; k < 5; k++, i++) record(i, 'normal', { features: { [huge('f')]: 1, x: 1, y: 'c1' } });
    await p.tick();
    const text = await p.exposition.render();
    expect(text.length).toBeLessThan(20 * 1024 * 1024);
    expect(promtoolCheckMetrics(text).output).toBe('');

    const seen = families(text);
    const registered = p.registry.getMetricsAsArray() as unknown as { name: string }[];
    const problems: string[] = [];
    for (const m of registered) {
      if (!(m instanceof SnapshotMetric) && !NOT_FROM_LOGS.test(m.name)) problems.push(`${m.name}: not a SnapshotMetric, so not bounded by the exposition`);
      const f = seen.get(m.name);
      if (!f) continue;
      if (f.sets.size > MAX_SERIES) problems.push(`${m.name}: ${f.sets.size} label sets`);
      if (f.longest > MAX_LENGTH) problems.push(`${m.name}: a label value of ${f.longest} characters`);
    }
    expect(problems).toEqual([]);
    // The caps were hit, and said so.
    expect(text).toMatch(/modelwatch_exposition_label_values_truncated\{metric="modelwatch_custom_tokens_total"\} [1-9]/);
    expect(text).toMatch(/modelwatch_record_labels_truncated_total\{field="model"\} 30/);
    expect(text).toMatch(/…#[0-9a-f]{8}"/);
    // labels_total folds past 100 models into __overflow__, as requests_total does (#4).
    expect(seen.get('modelwatch_labels_total')!.sets.size).toBeLessThanOrEqual(101 * 4);
    expect(text).toMatch(/modelwatch_series_dropped_total\{metric="modelwatch_labels_total"\} [1-9]\d*/);
    expect(text).toContain('modelwatch_labels_total{model="__overflow__",version="__overflow__",outcome="joined"}');
  }, 60_000);

  it('a family that throws is left out and counted; a render that fails as a whole serves the self-metrics', async () => {
    const { p, record } = hostilePipeline();
    for (let i = 0; i < 50; i++) record(i, 'm');
    registerSnapshot(p.registry, 'modelwatch_broken', 'Throws.', 'gauge', () => {
      throw new Error('broken collector');
    });
    const text = await p.exposition.render();
    expect(text).not.toContain('modelwatch_broken');
    expect(text).toContain('modelwatch_requests_total{');
    expect(text).toMatch(/modelwatch_exposition_errors_total 1\n/);
    // As when the text is longer than a string can be.
    (p.exposition as unknown as { renderAll: () => never }).renderAll = () => {
      throw new RangeError('Invalid string length');
    };
    const fallback = await p.exposition.render();
    expect(fallback).toContain('modelwatch_log_lines_total{source="src"} 50');
    expect(fallback).toMatch(/modelwatch_exposition_errors_total [2-9]/);
    expect(fallback).not.toMatch(/^modelwatch_requests_total\{/m);
    expect(promtoolCheckMetrics(fallback).output).toBe('');
  });

  it('over HTTP: 30 posts with 1 MB model names and /metrics answers 200, valid and small', async () => {
    const mw = await startSidecar({ resources: { enabled: false }, reference: { warmup_records: 10 } });
    try {
      for (let k = 0; k < 30; k++) {
        const res = await fetch(`${mw.url}/v1/records`, {
          method: 'POST',
          body: JSON.stringify({ model: `${'m'.repeat(1024 * 1024)}${k}`, model_version: 'v', features: { x: k }, latency_ms: 1, status: 200 }),
        });
        expect(res.status).toBe(200);
      }
      const res = await fetch(`${mw.url}/metrics`);
      const text = await res.text();
      expect(res.status).toBe(200);
      expect(text.length).toBeLessThan(2 * 1024 * 1024);
      expect(promtoolCheckMetrics(text).output).toBe('');
    } finally {
      await mw.stop();
    }
  });
});
