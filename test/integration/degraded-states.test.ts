/**
 * Degraded states are visible: a checkpoint that cannot be written turns /metrics from the frozen
 * durable snapshot to live values flagged by modelwatch_checkpoint_durable 0, with the failures
 * counted and the last success time standing still; a source whose paths match nothing shows
 * modelwatch_source_files 0; a corrupt checkpoint is counted.
 */
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/prometheus.js';
import { exposedValue, startSidecar } from '../helpers/sidecar.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-degraded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const line = (i: number) => JSON.stringify({ request_id: `r${i}`, model: 'm', model_version: 'v', features: { x: i }, latency_ms: 5, status: 200 });
const lines = (from: number, n: number) => Array.from({ length: n }, (_, i) => line(from + i)).join('\n') + '\n';

describe('degraded states', () => {
  it('a checkpoint that cannot be written: live values, durable 0, failures counted; durable again once writes succeed', async () => {
    const log = join(dir, 'a.jsonl');
    const checkpoint = join(dir, 'a-state.json');
    writeFileSync(log, lines(0, 100));
    const mw = await startSidecar({
      checkpoint: { path: checkpoint, interval: '100ms' },
      sources: [{ type: 'file', name: 'a', paths: [log, join(dir, 'nothing-*.jsonl')], start_at: 'beginning', poll_interval: '50ms' }],
      resources: { enabled: false },
    });
    const metrics = async () => (await fetch(`${mw.url}/metrics`)).text();
    try {
      const LINES = 'modelwatch_log_lines_total{source="a"}';
      let text = await waitFor('100 lines, durably', async () => {
        const t = await metrics();
        return exposedValue(t, LINES) === 100 && exposedValue(t, 'modelwatch_checkpoint_durable') === 1 ? t : undefined;
      });
      expect(exposedValue(text, 'modelwatch_checkpoint_write_failures_total')).toBe(0);
      const lastSuccess = exposedValue(text, 'modelwatch_checkpoint_last_success_timestamp_seconds')!;
      expect(Math.abs(lastSuccess - Date.now() / 1000)).toBeLessThan(30);
      expect(exposedValue(text, 'modelwatch_source_files{source="a"}')).toBe(1);

      // The disk "fills": a directory where the checkpoint goes makes every write fail.
      unlinkSync(checkpoint);
      mkdirSync(checkpoint);
      writeFileSync(join(checkpoint, 'occupied'), '');
      appendFileSync(log, lines(100, 50));
      text = await waitFor('live values while not durable', async () => {
        const t = await metrics();
        return exposedValue(t, LINES) === 150 ? t : undefined;
      });
      expect(exposedValue(text, 'modelwatch_checkpoint_durable')).toBe(0);
      expect(exposedValue(text, 'modelwatch_checkpoint_write_failures_total')).toBeGreaterThan(0);
      const stuck = exposedValue(text, 'modelwatch_checkpoint_last_success_timestamp_seconds')!;
      expect(stuck).toBeLessThan(Date.now() / 1000);
      expect(await (await fetch(`${mw.url}/-/ready`)).text()).toBe('Ready\n');

      rmSync(checkpoint, { recursive: true });
      appendFileSync(log, lines(150, 10));
      text = await waitFor('durable again', async () => {
        const t = await metrics();
        return exposedValue(t, 'modelwatch_checkpoint_durable') === 1 && exposedValue(t, LINES) === 160 ? t : undefined;
      });
      expect(exposedValue(text, 'modelwatch_checkpoint_last_success_timestamp_seconds')).toBeGreaterThan(stuck);
    } finally {
      await mw.stop();
    }
  });

  it('a source whose paths match nothing shows 0 files; a corrupt checkpoint is counted', async () => {
    const checkpoint = join(dir, 'b-state.json');
    writeFileSync(checkpoint, '{"version":1,"files":[{"path"');
    const mw = await startSidecar({
      checkpoint: { path: checkpoint, interval: '100ms' },
      sources: [{ type: 'file', name: 'b', paths: [join(dir, 'missing-*.jsonl')], start_at: 'beginning', poll_interval: '50ms' }],
      resources: { enabled: false },
    });
    try {
      const text = await (await fetch(`${mw.url}/metrics`)).text();
      expect(exposedValue(text, 'modelwatch_source_files{source="b"}')).toBe(0);
      expect(exposedValue(text, 'modelwatch_checkpoint_corrupt_total')).toBe(1);
    } finally {
      await mw.stop();
    }
  });
});
