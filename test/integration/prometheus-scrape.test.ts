/**
 * The real Prometheus scrapes a real sidecar fed a log at a known rate with known latencies; the
 * answers of histogram_quantile() and rate() through Prometheus's HTTP API match the fixture.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Modelwatch } from '../../src/main.js';
import { startPrometheus, waitFor, type RunningPrometheus } from '../helpers/prometheus.js';
import { logLine, startSidecar } from '../helpers/sidecar.js';

describe('Prometheus scraping the sidecar', () => {
  let dir: string;
  let sidecar: Modelwatch;
  let prom: RunningPrometheus;
  let written = 0;
  let writer: NodeJS.Timeout;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mw-int-'));
    const log = join(dir, 'requests.jsonl');
    writeFileSync(log, '');
    sidecar = await startSidecar({
      sources: [{ type: 'file', paths: [log], start_at: 'beginning', poll_interval: '100ms' }],
      drift: { enabled: false },
    });
    // 20 lines every 100 ms = 200 records/s; every 10th is slow (0.3 s), the rest 20 ms; every 20th a 503.
    writer = setInterval(() => {
      const lines: string[] = [];
      for (let i = 0; i < 20; i++, written++) {
        const slow = written % 10 === 9;
        const failed = written % 20 === 0;
        lines.push(logLine({ request_id: `r${written}`, features: { x: 1 }, latency_ms: slow ? 300 : 20, status: failed ? 503 : 200 }));
      }
      appendFileSync(log, lines.join('\n') + '\n');
    }, 100);
    const target = new URL(sidecar.url!).host;
    prom = await startPrometheus(`global:
  scrape_interval: 1s
  evaluation_interval: 1s
scrape_configs:
  - job_name: modelwatch
    static_configs: [{ targets: ['${target}'] }]
`);
  });

  afterAll(async () => {
    clearInterval(writer);
    await prom?.stop();
    await sidecar?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sees the target up and the exact latency quantile from the buckets', async () => {
    await waitFor('target up', async () => ((await prom.query('up{job="modelwatch"} == 1')).length === 1 ? true : undefined));
    // 90% at 20 ms (bucket ≤ 25 ms), 10% at 300 ms (bucket 250–500 ms): p95 interpolates to exactly 375 ms.
    const p95 = await waitFor('p95', async () => {
      const r = await prom.query('histogram_quantile(0.95, sum by (le) (modelwatch_request_duration_seconds_bucket{job="modelwatch"}))');
      return r.length === 1 && Number(r[0].value[1]) > 0 ? Number(r[0].value[1]) : undefined;
    });
    expect(p95).toBeCloseTo(0.375, 2);
  });

  it('gives rate() of requests and errors at the rate the log is written', async () => {
    // Let 8 s of scrapes accumulate so a 5 s rate window is full.
    await new Promise((r) => setTimeout(r, 8000));
    const total = Number((await prom.query('sum(rate(modelwatch_requests_total{job="modelwatch"}[5s]))'))[0].value[1]);
    const errors = Number((await prom.query('sum(rate(modelwatch_requests_total{job="modelwatch",outcome="error",code="5xx"}[5s]))'))[0].value[1]);
    // Written at 200/s by a timer on a shared 2-core machine: allow 30% either way.
    expect(total).toBeGreaterThan(140);
    expect(total).toBeLessThan(260);
    expect(errors / total).toBeCloseTo(0.05, 2);
    const p95rate = Number(
      (await prom.query('histogram_quantile(0.95, sum by (le) (rate(modelwatch_request_duration_seconds_bucket{job="modelwatch"}[5s])))'))[0].value[1],
    );
    expect(p95rate).toBeGreaterThan(0.25);
    expect(p95rate).toBeLessThan(0.5);
  });
});
