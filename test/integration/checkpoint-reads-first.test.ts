/**
 * /metrics serves the last checkpoint's snapshot, and the checkpoint reads what was written since the
 * sources' last poll before it captures: a line reaches /metrics within a checkpoint interval of its
 * write however long poll_interval is. Here the polls are an hour apart, so every line the scrapes
 * show was read by a checkpoint; none may be read twice.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/prometheus.js';
import { exposedValue, logLine, startSidecar } from '../helpers/sidecar.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-reads-first-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LINES = 'modelwatch_log_lines_total{source="requests"}';

describe('a checkpoint reads before it captures', () => {
  it('lines written between hour-apart polls reach /metrics at the next checkpoint, each once', async () => {
    const log = join(dir, 'requests.jsonl');
    writeFileSync(log, '');
    const mw = await startSidecar({
      checkpoint: { path: join(dir, 'state.json'), interval: '200ms' },
      sources: [{ type: 'file', name: 'requests', paths: [log], start_at: 'beginning', poll_interval: '1h' }],
      resources: { enabled: false },
    });
    const scrape = async () => exposedValue(await (await fetch(`${mw.url}/metrics`)).text(), LINES);
    try {
      write(log, 0, 50);
      const t0 = performance.now();
      await waitFor('the first 50 lines', async () => ((await scrape()) === 50 ? true : undefined));
      write(log, 50, 30);
      await waitFor('80 lines', async () => ((await scrape()) === 80 ? true : undefined));
      // Read by checkpoints 200 ms apart, not by the hour's poll.
      expect(performance.now() - t0).toBeLessThan(10_000);
      // More checkpoints, nothing new written: nothing read again.
      await new Promise((r) => setTimeout(r, 700));
      expect(await scrape()).toBe(80);
    } finally {
      await mw.stop();
    }
  });

  it("every source is read first: two replicas' logs, one of them quiet, each counted once", async () => {
    const logs = ['a', 'b'].map((replica) => join(dir, `replica-${replica}.jsonl`));
    for (const log of logs) writeFileSync(log, '');
    const mw = await startSidecar({
      checkpoint: { path: join(dir, 'replicas-state.json'), interval: '200ms' },
      sources: logs.map((log, i) => ({ type: 'file', name: `replica-${'ab'[i]}`, paths: [log], start_at: 'beginning', poll_interval: '1h' })),
      resources: { enabled: false },
    });
    const counts = async () => {
      const text = await (await fetch(`${mw.url}/metrics`)).text();
      return ['a', 'b'].map((replica) => exposedValue(text, `modelwatch_log_lines_total{source="replica-${replica}"}`));
    };
    try {
      write(logs[0], 0, 40);
      write(logs[1], 1000, 25);
      await waitFor('both replicas', async () => ((await counts()).join() === '40,25' ? true : undefined));
      // Replica b goes quiet; a keeps writing.
      write(logs[0], 40, 10);
      await waitFor('replica a alone', async () => ((await counts()).join() === '50,25' ? true : undefined));
      await new Promise((r) => setTimeout(r, 700));
      expect(await counts()).toEqual([50, 25]);
    } finally {
      await mw.stop();
    }
  });
});

function write(log: string, from: number, n: number): void {
  for (let i = from; i < from + n; i++) appendFileSync(log, logLine({ request_id: `r${i}`, features: { x: i }, latency_ms: 3, status: 200 }) + '\n');
}
