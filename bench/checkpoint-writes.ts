/**
 * Checkpoint write amplification: a real `modelwatch run` with `checkpoint.state` on tails a log
 * written at a steady rate while scraped at a given rate. Bytes written come from the kernel's own
 * count for the process (/proc/<pid>/io `wchar`: every write(2), checkpoint files and logs alike),
 * scrape latency from the scraper's side (request to last byte).
 *
 *   npm run bench:checkpoint            (CHECKPOINT_BENCH_SECONDS=30 per scenario by default)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort, table } from './measure.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FEATURES = 10;

interface Scenario {
  name: string;
  recordsPerSecond: number;
  scrapesPerSecond: number;
}

interface Result {
  scenario: Scenario;
  bytesPerMinute: number;
  scrapes: number;
  p50Ms: number;
  p99Ms: number;
  checkpointBytes: number;
}

function wchar(pid: number): number {
  return Number(/^wchar:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'))?.[1] ?? NaN);
}

function record(i: number): string {
  const features: Record<string, number | string> = { color: `c${i % 7}` };
  for (let f = 0; f < FEATURES; f++) features[`x${f}`] = Math.round(Math.sin(i * (f + 1)) * 1000) / 10;
  return JSON.stringify({ request_id: `r${i}`, model: 'bench', model_version: 'v1', features, prediction: (i % 100) / 100, latency_ms: 3 + (i % 40), status: 200 });
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
}

async function waitUp(url: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      const r = await fetch(`${url}/-/ready`);
      if (r.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('modelwatch did not become ready');
}

export async function runScenario(s: Scenario, seconds: number, warmupSeconds = 8): Promise<Result> {
  const dir = mkdtempSync(join(tmpdir(), 'mw-ckpt-bench-'));
  const log = join(dir, 'requests.jsonl');
  const config = join(dir, 'config.yaml');
  const checkpoint = join(dir, 'state.json');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  writeFileSync(log, '');
  writeFileSync(
    config,
    [
      `server: { listen: "127.0.0.1:${port}" }`,
      'log: { level: warn }',
      `checkpoint: { path: ${checkpoint}, interval: 5s, state: true }`,
      'resources: { enabled: false }',
      'reference: { warmup_records: 500 }',
      'drift: { interval: 5s, windows: [{ duration: 5m }, { count: 10000 }] }',
      'sources:',
      `  - { type: file, paths: [${log}], start_at: beginning, poll_interval: 100ms }`,
      '',
    ].join('\n'),
  );
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli.ts'), 'run', '--config', config], { cwd: ROOT, stdio: 'ignore' });
  let written = 0;
  let stopWriting = false;
  const writer = (async () => {
    const perTick = s.recordsPerSecond / 10;
    let carry = 0;
    while (!stopWriting) {
      carry += perTick;
      const n = Math.floor(carry);
      carry -= n;
      const lines: string[] = [];
      for (let i = 0; i < n; i++) lines.push(record(written++));
      if (lines.length) appendFileSync(log, lines.join('\n') + '\n');
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    await waitUp(url);
    await new Promise((r) => setTimeout(r, warmupSeconds * 1000));
    const pid = child.pid!;
    const before = wchar(pid);
    const started = performance.now();
    const latencies: number[] = [];
    const inflight: Promise<void>[] = [];
    const every = 1000 / s.scrapesPerSecond;
    let next = started;
    while (performance.now() - started < seconds * 1000) {
      const t0 = performance.now();
      inflight.push(
        fetch(`${url}${process.env.CHECKPOINT_BENCH_PATH ?? '/metrics'}`)
          .then((r) => r.text())
          .then(() => void latencies.push(performance.now() - t0)),
      );
      next += every;
      const wait = Math.min(next, started + seconds * 1000) - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
    await Promise.all(inflight);
    const elapsed = (performance.now() - started) / 1000;
    const bytes = wchar(pid) - before;
    let checkpointBytes = 0;
    try {
      checkpointBytes = readFileSync(checkpoint).length;
    } catch {
      // none written yet
    }
    return { scenario: s, bytesPerMinute: (bytes / elapsed) * 60, scrapes: latencies.length, p50Ms: quantile(latencies, 0.5), p99Ms: quantile(latencies, 0.99), checkpointBytes };
  } finally {
    stopWriting = true;
    await writer;
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

export const SCENARIOS: Scenario[] = [
  { name: '1,000 records/s, 1 scrape / 15 s', recordsPerSecond: 1000, scrapesPerSecond: 1 / 15 },
  { name: '1,000 records/s, 20 scrapes/s', recordsPerSecond: 1000, scrapesPerSecond: 20 },
  { name: '5,000 records/s (full ingest), 20 scrapes/s', recordsPerSecond: 5000, scrapesPerSecond: 20 },
];

function mb(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB`;
}

if (process.argv[1] && /checkpoint-writes\.ts$/.test(process.argv[1])) {
  const seconds = Number(process.env.CHECKPOINT_BENCH_SECONDS ?? 30);
  const rows: string[][] = [];
  for (const s of SCENARIOS) {
    const r = await runScenario(s, seconds);
    console.log(`${s.name}: ${mb(r.bytesPerMinute)}/min, ${r.scrapes} scrapes, p50 ${r.p50Ms.toFixed(1)} ms, p99 ${r.p99Ms.toFixed(1)} ms, checkpoint ${mb(r.checkpointBytes)}`);
    rows.push([s.name, `${mb(r.bytesPerMinute)}/min`, `${r.p50Ms.toFixed(1)} ms`, `${r.p99Ms.toFixed(1)} ms`, mb(r.checkpointBytes)]);
  }
  console.log(`\n${table(['scenario', 'bytes written', 'scrape p50', 'scrape p99', 'checkpoint size'], rows)}`);
}
