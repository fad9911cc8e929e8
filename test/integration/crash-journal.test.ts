/**
 * kill -9 at random instants with the label join store journaled by the checkpoint (whole now and
 * then, else what changed: src/sources/checkpoint-journal.ts): labels come ~300 lines after their
 * predictions, checkpoints every 100 ms, and the sidecar is killed six times at a random delay after
 * an append (between writes, or inside one: during a journal append, before or after the rename).
 * After every restart the labels of the predictions made before the kill still join (none unmatched,
 * none doubled), no exposed counter ever decreased, and the final counters and model-quality values
 * equal a one-shot run over the same logs (no line counted twice relative to the saved offsets).
 */
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../../src/stats/random.js';
import { MonotonicScraper, SidecarProcesses } from '../helpers/crashing-sidecar.js';
import { delayedLabelLogs, expectEqualsOneShot, exposedSamples, finishedText, labelCounters, N, PENDING, SLICE, writeDelayedLabelsConfig } from '../helpers/delayed-labels.js';
import { freePort, waitFor } from '../helpers/prometheus.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-crash-journal-'));
const sidecars = new SidecarProcesses(join(dir, 'config.yaml'));
afterAll(() => {
  sidecars.killAll();
  rmSync(dir, { recursive: true, force: true });
});

/** Labels trail their predictions by this many slices. */
const TRAIL = 3;

describe('crash consistency with the label join store journaled', () => {
  it('kill -9 at random instants: every prediction joins exactly once; counters and quality equal an uncrashed run', async () => {
    const { records, labels } = delayedLabelLogs(TRAIL);
    const port = await freePort();
    const setup = writeDelayedLabelsConfig(dir, port, '100ms');
    const { recordsLog, labelsLog } = setup;
    let child = sidecars.start();
    const scraper = new MonotonicScraper(`http://127.0.0.1:${port}`, labelCounters);
    const scrape = () => scraper.scrape();
    const up = () => scraper.up();
    const pendingAtKill: number[] = [];
    await up();
    // Each slice writes 100 requests and the labels of the requests TRAIL slices back.
    const rand = mulberry32(11);
    const killAfter = new Set<number>();
    while (killAfter.size < 6) killAfter.add(TRAIL + 1 + Math.floor(rand() * (N / SLICE - TRAIL - 2)));
    let journaled = 0;
    for (let slice = 0; slice * SLICE < N; slice++) {
      appendFileSync(recordsLog, records.slice(slice * SLICE, (slice + 1) * SLICE).join('\n') + '\n');
      if (slice >= TRAIL) appendFileSync(labelsLog, labels.slice((slice - TRAIL) * SLICE, (slice - TRAIL + 1) * SLICE).join('\n') + '\n');
      let last: string | undefined;
      for (let i = 0; i < 3; i++) {
        last = (await scrape()) ?? last;
        await new Promise((r) => setTimeout(r, 60));
      }
      if (killAfter.has(slice)) {
        // Killed only once predictions are seen waiting (after a restart the gauge waits for a tick).
        const seen = async () => {
          const text = (await scrape()) ?? last;
          const n = text === undefined ? undefined : exposedSamples(text).get(PENDING);
          return n !== undefined && n >= 150 ? n : undefined;
        };
        pendingAtKill.push(await waitFor('predictions waiting for their labels', seen, 10_000, 50));
        if (readFileSync(join(dir, 'state.json'), 'utf8').includes('"$journal"')) journaled++;
        // Killed at a random instant: with a write every 100 ms, mid-write or between writes.
        await new Promise((r) => setTimeout(r, Math.floor(rand() * 250)));
        child.kill('SIGKILL');
        await new Promise((r) => child.once('exit', r));
        child = sidecars.start();
        await up();
      }
    }
    appendFileSync(labelsLog, labels.slice(N - TRAIL * SLICE).join('\n') + '\n');
    // Every line read, and a quality tick over all the joined pairs since.
    const final = await waitFor('every line processed and quality computed over every pair', async () => finishedText(await scrape()), 30_000, 200);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    expect(pendingAtKill.length).toBe(6);
    // Predictions were waiting for their labels at each kill (the scrape just before it saw them).
    for (const p of pendingAtKill) expect(p).toBeGreaterThanOrEqual(150);
    // The store was journaled when killed, and one journal is left (the one the checkpoint names).
    expect(journaled).toBeGreaterThanOrEqual(5);
    expect(readdirSync(dir).filter((n) => n.startsWith('.state.json.journal-')).length).toBeGreaterThanOrEqual(1);
    expect(scraper.scrapes).toBeGreaterThan(30);
    expect(scraper.decreases).toEqual([]);

    // None doubled or brought back: every prediction joined once and none is left waiting.
    expect(exposedSamples(final).get(PENDING)).toBe(0);
    await expectEqualsOneShot(setup, final);
  }, 240_000);
});
