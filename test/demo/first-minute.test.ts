/**
 * The demo's first minute, replayed: the simulated server's traffic on the shipped timeline for 55 s
 * (25 records/s, its labels as they come due), read in one shot with the config the demo prints.
 * By then the live line must show drifted features and an MAE above the reference's, and count the
 * torn lines among the errors.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { DEMO_TIMELINE, demoConfig } from '../../src/demo/demo.js';
import { createTraffic } from '../../src/demo/model-server.js';
import { formatSummary, summarize } from '../../src/demo/summary.js';
import { startModelwatch } from '../../src/main.js';

const START = Date.UTC(2026, 0, 1);
const SECONDS = 55;
const RATE = 25;

describe('the demo within its first minute', () => {
  it('shows drifted features, MAE against the reference and torn lines among the errors', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mw-demo-minute-'));
    try {
      const traffic = createTraffic({ ...DEMO_TIMELINE, seed: 1970 }, START);
      const requests: string[] = [];
      const labels: string[] = [];
      for (let i = 0; i < SECONDS * RATE; i++) {
        const now = START + (i * 1000) / RATE;
        requests.push(traffic.emit(now));
        labels.push(...traffic.dueLabels(now));
      }
      writeFileSync(join(dir, 'requests.jsonl'), requests.join('\n') + '\n');
      writeFileSync(join(dir, 'labels.jsonl'), labels.join('\n') + '\n');
      const config = demoConfig(dir, '127.0.0.1:0', 'silent');
      const mw = await startModelwatch({ config, logger: pino({ level: 'silent' }), oneShot: true, clock: new ManualClock(START + SECONDS * 1000) });
      await mw.drain();
      const s = summarize(await mw.registry.getMetricsAsJSON(), START + SECONDS * 1000, undefined, '30s');
      await mw.stop();

      expect(s.drift?.features).toBe(6);
      expect(s.drift!.drifted).toBeGreaterThanOrEqual(3);
      expect(s.mae).toBeGreaterThan(s.maeReference!);
      expect(s.failed).toBeGreaterThan(0);
      expect(s.skipped).toBeGreaterThan(0);
      expect(s.errors).toBe(s.failed + s.skipped);
      const line = formatSummary(s, '30s');
      expect(line).toContain(`errors ${s.errors} (${s.failed} failed, ${s.skipped} torn)`);
      expect(line).toContain(`drift ${s.drift!.drifted}/6 features drifted (30s)`);
      expect(line).toMatch(/MAE \d+\.\d\d vs \d+\.\d\d reference$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
