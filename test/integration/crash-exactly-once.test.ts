/**
 * kill -9 mid-stream, several times, while Prometheus-like scrapes run: with state snapshots, no
 * exposed counter ever decreases, and the final counters and the drift over the restored windows
 * equal those of a run that never crashed.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { counterSamples, MonotonicScraper, SidecarProcesses } from '../helpers/crashing-sidecar.js';
import { fixtureLog } from '../helpers/fixture-log.js';
import { freePort, waitFor } from '../helpers/prometheus.js';
import { startSidecar } from '../helpers/sidecar.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-crash-'));
const sidecars = new SidecarProcesses(join(dir, 'config.yaml'));
afterAll(() => {
  sidecars.killAll();
  rmSync(dir, { recursive: true, force: true });
});

function driftScores(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^(modelwatch_(?:feature|prediction)_drift_score\{[^}]*\}) (\S+)$/gm)) out.set(m[1], Number(m[2]));
  return out;
}

/** Data quality's value summaries over its count windows (saved against drift's windows of the same size). */
function valueSummaries(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^(modelwatch_feature_value\{[^}]*\}) (\S+)$/gm)) out.set(m[1], Number(m[2]));
  return out;
}

describe('crash consistency', () => {
  it('survives kill -9 three times: counters never decrease and end equal to an uncrashed run', async () => {
    const { lines, referenceCsv } = fixtureLog(3000);
    const log = join(dir, 'requests.jsonl');
    const reference = join(dir, 'reference.csv');
    writeFileSync(reference, referenceCsv);
    writeFileSync(log, '');
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const config = join(dir, 'config.yaml');
    const common = {
      reference: { path: reference, prediction_column: 'prediction' },
      drift: { windows: [{ count: 500 }], min_samples: 50, interval: '200ms' },
      resources: { enabled: false },
    };
    writeFileSync(
      config,
      JSON.stringify({
        ...common,
        server: { listen: `127.0.0.1:${port}` },
        log: { level: 'warn' },
        checkpoint: { path: join(dir, 'state.json'), interval: '300ms' },
        sources: [{ type: 'file', paths: [log], start_at: 'beginning', poll_interval: '50ms' }],
      }),
    );
    let child = sidecars.start();
    let written = 0;
    let kills = 0;
    const scraper = new MonotonicScraper(url);
    const scrape = async () => {
      const text = await scraper.scrape();
      return text === undefined ? undefined : counterSamples(text);
    };
    const up = () => scraper.up();
    await up();
    // Write in slices; after some slices, crash the process and start a new one. The last crash
    // 200 lines before the end: the windows of 500 end with 300 values the restart restored.
    const killAfter = new Set([6, 13, 27]);
    for (let slice = 0; written < lines.length; slice++) {
      appendFileSync(log, lines.slice(written, written + 100).join('\n') + '\n');
      written = Math.min(lines.length, written + 100);
      for (let i = 0; i < 3; i++) {
        await scrape();
        await new Promise((r) => setTimeout(r, 60));
      }
      if (killAfter.has(slice)) {
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
        kills++;
        child = sidecars.start();
        await up();
      }
    }
    const total = lines.length;
    const final = await waitFor(
      'every line processed',
      async () => {
        const c = await scrape();
        return c && c.get('modelwatch_log_lines_total{source="file"}') === total ? c : undefined;
      },
      60_000,
      200,
    );
    // One more drift tick over the complete windows, then the drift scores as scraped.
    await new Promise((r) => setTimeout(r, 600));
    const liveText = await (await fetch(`${url}/metrics`)).text();
    const liveDrift = driftScores(liveText);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    expect(kills).toBe(3);
    expect(scraper.scrapes).toBeGreaterThan(30);
    expect(scraper.decreases).toEqual([]);

    // The same log, read once without crashes.
    const oneShot = await startSidecar({ ...common, sources: [{ type: 'file', paths: [log] }] }, { oneShot: true });
    await oneShot.drain();
    const oneShotText = await oneShot.metrics();
    const expected = counterSamples(oneShotText);
    await oneShot.stop();
    expect(expected.get('modelwatch_log_lines_total{source="file"}')).toBe(total);
    // Exact, but a histogram's _sum adds the same floats in a different grouping across restarts.
    for (const [k, v] of expected) expect(Math.abs((final.get(k) ?? NaN) - v), `${k}: ${final.get(k)} vs ${v}`).toBeLessThanOrEqual(1e-9 * Math.abs(v));
    // The windows were restored at each restart, so drift over them is what an uncrashed run says.
    const expectedDrift = driftScores(oneShotText);
    expect(expectedDrift.size).toBeGreaterThan(10);
    for (const [k, v] of expectedDrift) expect(Math.abs((liveDrift.get(k) ?? NaN) - v), `${k}: ${liveDrift.get(k)} vs ${v}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v)));
    // So were data quality's value windows, saved as what they hold beyond drift's of the same size:
    // their summaries are the uncrashed run's too.
    const expectedValues = valueSummaries(oneShotText);
    const liveValues = valueSummaries(liveText);
    expect(expectedValues.size).toBeGreaterThan(10);
    expect(readFileSync(join(dir, 'state.json'), 'utf8')).toContain('"againstDrift"');
    for (const [k, v] of expectedValues) expect(Math.abs((liveValues.get(k) ?? NaN) - v), `${k}: ${liveValues.get(k)} vs ${v}`).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(v)));
  }, 180_000);
});
