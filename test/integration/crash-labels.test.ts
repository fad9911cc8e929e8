/**
 * kill -9 with delayed labels in flight: a records log and a labels log whose labels come about
 * 100 lines after their predictions, so every crash leaves ~100 predictions waiting in the label
 * join store. After two SIGKILLs the labels of those predictions still join (none unmatched), the
 * model-quality window holds every pair, no exposed counter ever decreased, and the final joined
 * count and model-quality values equal a one-shot run over the same logs.
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MonotonicScraper, SidecarProcesses } from '../helpers/crashing-sidecar.js';
import { delayedLabelLogs, expectEqualsOneShot, exposedSamples, finishedText, labelCounters, N, PENDING, SLICE, writeDelayedLabelsConfig } from '../helpers/delayed-labels.js';
import { freePort, waitFor } from '../helpers/prometheus.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-crash-labels-'));
const sidecars = new SidecarProcesses(join(dir, 'config.yaml'));
afterAll(() => {
  sidecars.killAll();
  rmSync(dir, { recursive: true, force: true });
});

describe('crash consistency with delayed labels', () => {
  it('labels for predictions made before a kill -9 still join; quality equals an uncrashed run', async () => {
    const { records, labels } = delayedLabelLogs(1);
    const port = await freePort();
    const setup = writeDelayedLabelsConfig(dir, port, '300ms');
    const { recordsLog, labelsLog } = setup;
    let child = sidecars.start();
    const scraper = new MonotonicScraper(`http://127.0.0.1:${port}`, labelCounters);
    const scrape = () => scraper.scrape();
    const up = () => scraper.up();
    const pendingAtKill: number[] = [];
    await up();
    // Each slice writes 100 requests and the labels of the previous 100: labels trail by ~100 lines.
    const killAfter = new Set([7, 14]);
    for (let slice = 0; slice * SLICE < N; slice++) {
      appendFileSync(recordsLog, records.slice(slice * SLICE, (slice + 1) * SLICE).join('\n') + '\n');
      if (slice > 0) appendFileSync(labelsLog, labels.slice((slice - 1) * SLICE, slice * SLICE).join('\n') + '\n');
      let last: string | undefined;
      for (let i = 0; i < 3; i++) {
        last = (await scrape()) ?? last;
        await new Promise((r) => setTimeout(r, 60));
      }
      if (killAfter.has(slice)) {
        const pending = last === undefined ? undefined : exposedSamples(last).get(PENDING);
        pendingAtKill.push(pending ?? 0);
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
        child = sidecars.start();
        await up();
      }
    }
    appendFileSync(labelsLog, labels.slice(N - SLICE).join('\n') + '\n');
    // Every line read, and a quality tick over all the joined pairs since.
    const final = await waitFor('every line processed and quality computed over every pair', async () => finishedText(await scrape()), 30_000, 200);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    expect(pendingAtKill.length).toBe(2);
    // Predictions were waiting for their labels at each kill (the scrape just before it saw them).
    for (const p of pendingAtKill) expect(p).toBeGreaterThanOrEqual(50);
    expect(scraper.scrapes).toBeGreaterThan(30);
    expect(scraper.decreases).toEqual([]);
    await expectEqualsOneShot(setup, final);
  }, 120_000);
});
