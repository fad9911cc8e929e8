/**
 * End to end through the real sidecar: a generic JSONL request log (an LLM-style server logging
 * token counts and time to first token) and a second labels log; data quality, label join, model
 * quality and custom metrics appear on /metrics with the right values, and the whole scrape passes
 * `promtool check metrics`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { promtoolCheckMetrics } from '../helpers/prometheus.js';
import { startSidecar } from '../helpers/sidecar.js';
import { sample } from './quality-helpers.js';

const M = { model: 'chat', version: 'v2' };

function writeLogs(): { requests: string; labels: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mw-quality-e2e-'));
  const requests: string[] = [];
  const labels: string[] = [];
  // Predictions 10, 20, 30, 40; truths 12, 18, 33, 40 → MAE 7/4, RMSE √(17/4).
  const predictions = [10, 20, 30, 40];
  const truths = [12, 18, 33, 40];
  predictions.forEach((p, i) => {
    requests.push(
      JSON.stringify({
        timestamp: `2024-05-14T09:00:0${i}Z`,
        request_id: `q${i}`,
        model: M.model,
        model_version: M.version,
        features: { prompt_chars: i === 2 ? 'long' : 100 * (i + 1), lang: i === 3 ? null : 'en' },
        prediction: p,
        latency_ms: 120,
        usage: { prompt_tokens: 100 + i, completion_tokens: 50 * (i + 1) },
        time_to_first_token_ms: 80 * (i + 1),
        tenant: i < 2 ? 'acme' : 'globex',
      }),
    );
    labels.push(JSON.stringify({ request_id: `q${i}`, label: truths[i], timestamp: `2024-05-14T09:10:0${i}Z` }));
  });
  labels.push(JSON.stringify({ request_id: 'nobody', label: 1, timestamp: '2024-05-14T09:10:09Z' }));
  const paths = { requests: join(dir, 'requests.jsonl'), labels: join(dir, 'labels.jsonl') };
  writeFileSync(paths.requests, requests.join('\n') + '\n');
  writeFileSync(paths.labels, labels.join('\n') + '\n');
  return paths;
}

describe('quality analyzers through the sidecar', () => {
  it('reports data quality, joined labels, model quality and custom metrics from two logs', async () => {
    const logs = writeLogs();
    const mw = await startSidecar(
      {
        sources: [
          { type: 'file', name: 'requests', paths: [logs.requests], start_at: 'beginning' },
          { type: 'file', name: 'labels', role: 'labels', paths: [logs.labels], start_at: 'beginning' },
        ],
        features: [{ name: 'prompt_chars', type: 'numeric' }, { name: 'lang', type: 'categorical' }],
        drift: { windows: [{ count: 100 }], min_samples: 1 },
        quality: { task: 'regression', min_samples: 1, labels: { delay_buckets: [60, 600, 3600] } },
        custom_metrics: [
          { name: 'prompt_tokens', path: 'usage.prompt_tokens', type: 'counter', unit: 'tokens' },
          { name: 'completion_tokens', path: 'usage.completion_tokens', type: 'histogram', unit: 'tokens', buckets: [64, 128, 256] },
          { name: 'time_to_first_token', path: 'time_to_first_token_ms', type: 'histogram', unit: 'seconds', scale: 0.001, buckets: [0.1, 0.25, 0.5], labels: { tenant: 'tenant' } },
          { name: 'last_completion', path: '/usage/completion_tokens', type: 'gauge', unit: 'tokens' },
        ],
      },
      { oneShot: true },
    );
    try {
      await mw.drain();
      const text = await mw.metrics();
      const w = { window: 'last_100' };
      // Data quality.
      expect(sample(text, 'modelwatch_data_quality_issues_total', { ...M, feature: 'prompt_chars', issue: 'type_mismatch' })).toBe(1);
      expect(sample(text, 'modelwatch_data_quality_issues_total', { ...M, feature: 'lang', issue: 'missing' })).toBe(1);
      expect(sample(text, 'modelwatch_feature_issue_ratio', { ...M, feature: 'prompt_chars', issue: 'type_mismatch', ...w })).toBe(0.25);
      expect(sample(text, 'modelwatch_feature_value', { ...M, feature: 'prompt_chars', stat: 'max', ...w })).toBe(400);
      // Ground truth.
      expect(sample(text, 'modelwatch_labels_total', { ...M, outcome: 'joined' })).toBe(4);
      expect(sample(text, 'modelwatch_label_delay_seconds_bucket', { ...M, le: '600' })).toBe(4);
      // Model quality.
      expect(sample(text, 'modelwatch_model_quality', { ...M, metric: 'mae', ...w })).toBe(7 / 4);
      expect(sample(text, 'modelwatch_model_quality', { ...M, metric: 'rmse', ...w })).toBeCloseTo(Math.sqrt(17 / 4), 12);
      // Custom metrics.
      expect(sample(text, 'modelwatch_custom_prompt_tokens_total', M)).toBe(406);
      expect(sample(text, 'modelwatch_custom_completion_tokens_bucket', { ...M, le: '128' })).toBe(2);
      expect(sample(text, 'modelwatch_custom_completion_tokens_sum', M)).toBe(500);
      expect(sample(text, 'modelwatch_custom_time_to_first_token_seconds_bucket', { ...M, tenant: 'acme', le: '0.25' })).toBe(2);
      expect(sample(text, 'modelwatch_custom_time_to_first_token_seconds_count', { ...M, tenant: 'globex' })).toBe(2);
      expect(sample(text, 'modelwatch_custom_last_completion_tokens', M)).toBe(200);
      const check = promtoolCheckMetrics(text);
      expect(check.output, 'promtool check metrics').toBe('');
      expect(check.ok).toBe(true);
    } finally {
      await mw.stop();
    }
  });
});
