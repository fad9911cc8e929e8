/**
 * The readiness contract of a real `modelwatch run`: from its first instant until the checkpoint is
 * restored, /metrics answers 503 and nothing is written to the checkpoint, so a scrape during
 * startup can neither show counters from zero nor replace the last run's offsets; SIGTERM during
 * startup is a clean stop (exit 0), not death by signal.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { counterSamples } from '../helpers/crashing-sidecar.js';
import { fixtureLog } from '../helpers/fixture-log.js';
import { freePort, waitFor } from '../helpers/prometheus.js';

const dir = mkdtempSync(join(tmpdir(), 'mw-ready-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const LINES = 'modelwatch_log_lines_total{source="file"}';

function start(config: string): { child: ChildProcess; stderr: () => string; exit: Promise<{ code: number | null; signal: string | null }> } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'run', '--config', config], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<{ code: number | null; signal: string | null }>((r) => child.once('exit', (code, signal) => r({ code, signal })));
  return { child, stderr: () => stderr, exit };
}

async function status(url: string, path: string): Promise<number | undefined> {
  try {
    return (await fetch(`${url}${path}`)).status;
  } catch {
    return undefined;
  }
}

describe('startup readiness', () => {
  const log = join(dir, 'requests.jsonl');
  const checkpoint = join(dir, 'state.json');
  const config = join(dir, 'config.yaml');
  const { lines, referenceCsv } = fixtureLog(3000);
  let url = '';

  it('scrapes during startup get 503, never counters from zero, and the checkpoint keeps its offsets through a kill -9', async () => {
    writeFileSync(join(dir, 'reference.csv'), referenceCsv);
    writeFileSync(log, lines.join('\n') + '\n');
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    writeFileSync(
      config,
      JSON.stringify({
        server: { listen: `127.0.0.1:${port}` },
        log: { level: 'warn' },
        reference: { path: join(dir, 'reference.csv'), prediction_column: 'prediction' },
        // Large windows make a large state: restoring it takes a while, the window a scrape must not hit.
        drift: { windows: [{ count: 3000 }, { duration: '1h' }], interval: '1s' },
        resources: { enabled: false },
        checkpoint: { path: checkpoint, interval: '200ms' },
        sources: [{ type: 'file', paths: [log], start_at: 'beginning', poll_interval: '50ms' }],
      }),
    );
    const total = lines.length;
    const first = start(config);
    await waitFor('every line read', async () => (counterSamples((await (await fetch(`${url}/metrics`)).text())).get(LINES) === total ? true : undefined), 30_000, 100);
    first.child.kill('SIGTERM');
    expect((await first.exit).code, first.stderr()).toBe(0);

    // Scraped from the instant it starts, by four scrapers at once.
    const second = start(config);
    const seen: { status: number; lines?: number }[] = [];
    let stop = false;
    const scraper = async () => {
      while (!stop) {
        try {
          const res = await fetch(`${url}/metrics`);
          const text = await res.text();
          seen.push({ status: res.status, lines: res.status === 200 ? counterSamples(text).get(LINES) : undefined });
          if (res.status === 200) stop = true;
        } catch {
          await new Promise((r) => setTimeout(r, 2));
        }
      }
    };
    await Promise.all([scraper(), scraper(), scraper(), scraper()]);
    // kill -9 right after the first successful scrape.
    second.child.kill('SIGKILL');
    await second.exit;
    expect(seen.filter((s) => s.status !== 200 && s.status !== 503)).toEqual([]);
    expect(seen.filter((s) => s.status === 200).every((s) => s.lines === total), JSON.stringify(seen.filter((s) => s.status === 200))).toBe(true);
    const saved = JSON.parse(readFileSync(checkpoint, 'utf8')) as { files: { path: string; offset: number }[] };
    expect(saved.files.find((f) => f.path === log)?.offset).toBe(readFileSync(log).length);

    // The file is not read again: the counter continues at the total, not from zero, not doubled.
    const third = start(config);
    const after = await waitFor('the third run serving', async () => (await status(url, '/metrics')) === 200 ? counterSamples(await (await fetch(`${url}/metrics`)).text()) : undefined, 30_000, 50);
    expect(after.get(LINES)).toBe(total);
    third.child.kill('SIGTERM');
    expect((await third.exit).code).toBe(0);
  }, 90_000);

  it('SIGTERM during startup stops cleanly with exit 0 and keeps the checkpoint', async () => {
    const before = readFileSync(checkpoint, 'utf8');
    const run = start(config);
    // The moment it listens but has not restored its checkpoint yet.
    const first = await waitFor('the sidecar listening', async () => status(url, '/-/ready'), 30_000, 2);
    expect(first, 'startup finished before a probe landed in it').toBe(503);
    run.child.kill('SIGTERM');
    const { code, signal } = await run.exit;
    expect({ code, signal }, run.stderr()).toEqual({ code: 0, signal: null });
    const saved = JSON.parse(readFileSync(checkpoint, 'utf8')) as { files: { path: string; offset: number }[]; state: { counters: Record<string, unknown> } };
    expect(saved.files.find((f) => f.path === log)?.offset).toBe(readFileSync(log).length);
    expect(Object.keys(saved.state.counters).length).toBeGreaterThanOrEqual(Object.keys((JSON.parse(before) as typeof saved).state.counters).length);
  }, 60_000);
});
