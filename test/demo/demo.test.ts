/**
 * The embedded demo end to end, time-compressed: the simulated model server (its own process)
 * serves the MPG model on cars that walk forward through the model years; the sidecar tails its
 * logs and shows traffic, latency, errors, data drift, delayed-label quality and the server's CPU.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { demoConfig, startDemoServer } from '../../src/demo/demo.js';
import { startModelwatch } from '../../src/main.js';
import { waitFor } from '../helpers/prometheus.js';

function value(text: string, pattern: RegExp): number | undefined {
  const m = pattern.exec(text);
  return m ? Number(m[1]) : undefined;
}

describe('modelwatch demo', () => {
  it('shows traffic, errors, drift as the cars get newer, label quality and server CPU', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mw-demo-'));
    // 300 records/s; 3 s on the training years, then one model year per second.
    const child = startDemoServer(dir, 300, ['--warmup', '3', '--year', '1']);
    const base = demoConfig(dir, '127.0.0.1:0', 'silent', child.pid);
    const config = { ...base, drift: { ...base.drift, interval: 1, windows: [{ count: 1500 }] }, quality: { ...base.quality, windows: [{ count: 500 }] } };
    const mw = await startModelwatch({ config: config as typeof base, logger: pino({ level: 'silent' }) });
    try {
      const text = await waitFor(
        'drifted inputs, joined labels and the server CPU',
        async () => {
          const t = await (await fetch(`${mw.url}/metrics`)).text();
          const share = value(t, /^modelwatch_dataset_drift_share\{[^}]*\} (\S+)$/m) ?? 0;
          const joined = value(t, /^modelwatch_labels_total\{[^}]*outcome="joined"\} (\S+)$/m) ?? 0;
          const weight = value(t, /^modelwatch_feature_drifted\{[^}]*feature="Weight_in_lbs"[^}]*\} (\S+)$/m);
          // The resource collector runs on its own interval: drift can be seen before its first run.
          const serverCpu = /^modelwatch_target_cpu_seconds_total\{target="demo-model-server",mode="user"\} \d/m.test(t);
          return share >= 0.5 && joined > 0 && weight === 1 && serverCpu ? t : undefined;
        },
        60_000,
        500,
      );
      expect(value(text, /^modelwatch_requests_total\{model="auto-mpg",[^}]*outcome="success"[^}]*\} (\S+)$/m)).toBeGreaterThan(1000);
      expect(text).toMatch(/^modelwatch_request_duration_seconds_count\{model="auto-mpg"/m);
      expect(text).toMatch(/^modelwatch_log_line_errors_total\{source="requests",reason="invalid_json"\} [1-9]/m);
      expect(text).toMatch(/^modelwatch_feature_drifted\{model="auto-mpg",version="ols-1970-74",feature="Weight_in_lbs",window="last_1500"\} 1$/m);
      expect(text).toMatch(/^modelwatch_model_quality\{model="auto-mpg",version="ols-1970-74",metric="mae",window="last_500"\} \d/m);
      expect(text).toMatch(/^modelwatch_model_quality_reference\{model="auto-mpg",version="ols-1970-74",metric="mae"\} \d/m);
      expect(text).toMatch(/^modelwatch_target_cpu_seconds_total\{target="demo-model-server",mode="user"\} \d/m);
    } finally {
      child.kill('SIGTERM');
      await mw.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
