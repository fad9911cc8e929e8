/**
 * A checkpoint is validated, not trusted. A pipeline state of the wrong shape (counters "x", a
 * string or negative counter value) is moved aside, counted and started fresh while the offsets are
 * kept: the process is ready, shows no value it was not given, and reads no line twice. An offset
 * in the middle of a line re-syncs to the next line.
 */
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/prometheus.js';
import { exposedValue, startSidecar } from '../helpers/sidecar.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-validate-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const line = (i: number) => JSON.stringify({ request_id: `r${i}`, model: 'm', model_version: 'v', features: { x: i }, latency_ms: 5, status: 200 });
const lines = (from: number, n: number) => Array.from({ length: n }, (_, i) => line(from + i)).join('\n') + '\n';
const LINES = 'modelwatch_log_lines_total{source="s"}';

interface SavedCheckpoint {
  files: { path: string; offset: number }[];
  state: { counters: Record<string, { n: string; l: [string, string][]; v: unknown }[]> };
}

/** Runs once over 100 lines and stops cleanly, leaving a real checkpoint behind. */
async function firstRun(name: string): Promise<{ log: string; checkpoint: string; config: Record<string, unknown> }> {
  const log = join(dir, `${name}.jsonl`);
  const checkpoint = join(dir, `${name}-state.json`);
  writeFileSync(log, lines(0, 100));
  const config = {
    checkpoint: { path: checkpoint, interval: '100ms' },
    sources: [{ type: 'file', name: 's', paths: [log], start_at: 'beginning', poll_interval: '50ms' }],
    resources: { enabled: false },
  };
  const mw = await startSidecar(config);
  await waitFor('100 lines', async () => (exposedValue(await (await fetch(`${mw.url}/metrics`)).text(), LINES) === 100 ? true : undefined));
  await mw.stop();
  return { log, checkpoint, config };
}

describe('checkpoint validation', () => {
  it.each([
    ['counters is a string', (s: SavedCheckpoint) => void ((s.state as unknown as { counters: unknown }).counters = 'x')],
    ['a counter value is a string', (s: SavedCheckpoint) => void (s.state.counters.modelwatch_log_lines_total[0].v = '1abc')],
    ['a counter value is negative', (s: SavedCheckpoint) => void (s.state.counters.modelwatch_log_lines_total[0].v = -5)],
  ])('%s: moved aside, counted, started fresh, ready, no line read twice', async (name, damage) => {
    const { log, checkpoint, config } = await firstRun(name.replace(/\W+/g, '-'));
    const saved = JSON.parse(readFileSync(checkpoint, 'utf8')) as SavedCheckpoint;
    damage(saved);
    writeFileSync(checkpoint, JSON.stringify(saved));
    appendFileSync(log, lines(100, 10));
    const mw = await startSidecar(config);
    try {
      expect((await fetch(`${mw.url}/-/ready`)).status).toBe(200);
      const text = await waitFor('the 10 new lines', async () => {
        const t = await (await fetch(`${mw.url}/metrics`)).text();
        return exposedValue(t, LINES) === 10 ? t : undefined;
      });
      expect(exposedValue(text, 'modelwatch_checkpoint_corrupt_total')).toBe(1);
      expect(text).not.toMatch(/ 1abc$| -5$/m);
      expect(readdirSync(dir).some((f) => f.startsWith(`${checkpoint.split('/').pop()}.corrupt-`))).toBe(true);
    } finally {
      await mw.stop();
    }
    // The fresh state is saved back: the next start restores it without complaint.
    const again = JSON.parse(readFileSync(checkpoint, 'utf8')) as SavedCheckpoint;
    expect(again.state.counters.modelwatch_log_lines_total[0].v).toBe(10);
  });

  it('an offset in the middle of a line skips to the next line and is counted', async () => {
    const { log, checkpoint, config } = await firstRun('midline');
    const saved = JSON.parse(readFileSync(checkpoint, 'utf8')) as SavedCheckpoint;
    const text = readFileSync(log, 'utf8');
    // Into the middle of line 50 (0-based): the rest of it is skipped, lines 51…99 are read.
    const line50 = text.split('\n').slice(0, 50).join('\n').length + 1;
    saved.files[0].offset = line50 + 10;
    delete (saved as Partial<SavedCheckpoint>).state;
    writeFileSync(checkpoint, JSON.stringify(saved));
    const mw = await startSidecar(config);
    try {
      const t = await waitFor('lines 51…99', async () => {
        const m = await (await fetch(`${mw.url}/metrics`)).text();
        return exposedValue(m, LINES) === 49 ? m : undefined;
      });
      expect(t).not.toContain('reason="invalid_json"} 1');
      expect(exposedValue(t, 'modelwatch_checkpoint_corrupt_total')).toBe(1);
    } finally {
      await mw.stop();
    }
    expect(existsSync(checkpoint)).toBe(true);
  });
});
