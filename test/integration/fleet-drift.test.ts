/**
 * Fleet-wide drift in Prometheus: two sidecar replicas, each fed its own traffic, are scraped by
 * the real Prometheus with the shipped recording rules; the rules' PSI and Jensen–Shannon over both
 * replicas' bin counters must equal (within 2%) what modelwatch computes on the combined records.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Modelwatch } from '../../src/main.js';
import { fixtureLog } from '../helpers/fixture-log.js';
import { startPrometheus, waitFor, type RunningPrometheus } from '../helpers/prometheus.js';
import { ROOT } from '../helpers/cli.js';
import { startSidecar } from '../helpers/sidecar.js';

const FEATURES = ['age', 'income', 'color'];

function scores(text: string, method: string): Map<string, number> {
  const out = new Map<string, number>();
  const re = new RegExp(`^modelwatch_feature_drift_score\\{.*feature="(\\w+)",method="${method}".*\\} (\\S+)$`, 'gm');
  for (const m of text.matchAll(re)) out.set(m[1], Number(m[2]));
  return out;
}

describe('fleet drift recording rules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mw-fleet-'));
  const { lines, referenceCsv } = fixtureLog(400);
  const batchA = lines.filter((l) => l.startsWith('{"timestamp"')).slice(0, 100); // reference-like
  const batchB = lines.filter((l) => l.startsWith('{"timestamp"')).slice(300, 400); // drifted
  const reference = join(dir, 'reference.csv');
  writeFileSync(reference, referenceCsv);
  const replicas: Modelwatch[] = [];
  let prom: RunningPrometheus;
  let writer: NodeJS.Timeout;
  const common = { reference: { path: reference }, drift: { min_samples: 1 }, resources: { enabled: false } };

  beforeAll(async () => {
    for (const name of ['a', 'b']) {
      const log = join(dir, `${name}.jsonl`);
      // Start the counters high: rate() limits its extrapolation where a counter would cross zero,
      // which would weigh small bins differently from large ones while the series are young.
      writeFileSync(log, Array.from({ length: 40 }, () => (name === 'a' ? batchA : batchB).join('\n')).join('\n') + '\n');
      replicas.push(await startSidecar({ ...common, sources: [{ type: 'file', paths: [log], start_at: 'beginning', poll_interval: '50ms' }] }));
    }
    const targets = replicas.map((r) => `'${new URL(r.url!).host}'`).join(', ');
    prom = await startPrometheus(
      `global:\n  scrape_interval: 200ms\n  evaluation_interval: 200ms\nrule_files: [recording.yml]\nscrape_configs:\n  - job_name: modelwatch\n    static_configs: [{ targets: [${targets}] }]\n`,
      { 'recording.yml': readFileSync(join(ROOT, 'prometheus', 'rules', 'modelwatch-recording.yml'), 'utf8') },
    );
  });

  afterAll(async () => {
    clearInterval(writer);
    await prom?.stop();
    for (const r of replicas) await r.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('matches the PSI and Jensen–Shannon of the combined records within 2%', async () => {
    const combined = join(dir, 'combined.jsonl');
    writeFileSync(combined, [...batchA, ...batchB].join('\n') + '\n');
    const oneShot = await startSidecar({ ...common, sources: [{ type: 'file', paths: [combined] }], drift: { min_samples: 1, windows: [{ count: 1000 }] } }, { oneShot: true });
    await oneShot.drain();
    const text = await oneShot.metrics();
    await oneShot.stop();
    const psi = scores(text, 'psi');
    const js = scores(text, 'jensen_shannon');
    expect([...psi.keys()].sort()).toEqual([...FEATURES].sort());

    // Once Prometheus has the prefilled counters of both replicas, both get the same number of
    // batches (each the same multiset), then writing stops: the increase rate() sees on each replica
    // is exactly what was written, and the scrape phases of the two replicas matter little at 200 ms.
    await waitFor('both replicas scraped', async () => ((await prom.query('count_over_time(up{job="modelwatch"}[1m]) >= 3')).length === 2 ? true : undefined), 30_000, 200);
    let batches = 0;
    await new Promise<void>((resolve) => {
      writer = setInterval(() => {
        appendFileSync(join(dir, 'a.jsonl'), batchA.join('\n') + '\n');
        appendFileSync(join(dir, 'b.jsonl'), batchB.join('\n') + '\n');
        if (++batches === 40) {
          clearInterval(writer);
          resolve();
        }
      }, 250);
    });
    await waitFor(
      'fleet PSI for every feature',
      async () => ((await prom.query('modelwatch:feature_drift_psi:fleet_rate5m')).length === FEATURES.length ? true : undefined),
      40_000,
      250,
    );
    await new Promise((r) => setTimeout(r, 2000));
    const fleetPsi = await prom.query('modelwatch:feature_drift_psi:fleet_rate5m');
    const fleetJs = await prom.query('modelwatch:feature_drift_jensen_shannon:fleet_rate5m');
    for (const f of FEATURES) {
      const p = Number(fleetPsi.find((s) => s.metric.feature === f)?.value[1]);
      const j = Number(fleetJs.find((s) => s.metric.feature === f)?.value[1]);
      expect(Math.abs(p - psi.get(f)!) / psi.get(f)!, `${f} PSI fleet ${p} vs combined ${psi.get(f)}`).toBeLessThan(0.02);
      expect(Math.abs(j - js.get(f)!) / js.get(f)!, `${f} JS fleet ${j} vs combined ${js.get(f)}`).toBeLessThan(0.02);
    }
  });
});
