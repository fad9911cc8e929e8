/**
 * `npm run bench:overhead`: modelwatch's CPU at a realistic load. Pre-fills a log with the 10k
 * warm-up records (10,500 lines), starts modelwatch live on it (bench/run-live.ts, compiled: HTTP server, 250 ms
 * polls, state checkpoints every 5 s), then appends BENCH_RATE records/s (default 1,000; 0 = idle)
 * in 100 ms batches for BENCH_SECONDS (default 60) while modelwatch tails it and this process
 * scrapes it every 15 s (from outside, as Prometheus does). Prints CPU seconds per minute and % of one core (the child's own process.cpuUsage, all
 * threads, from `ready` to the end).
 * BENCH_ROUNDS (default 1) repeats it; BENCH_BASE=<another checkout> alternates with that tree's
 * modelwatch (the same bench/run-live.ts must be there) for a before/after in the same sitting.
 * The child runs with the container image's Node flags (Dockerfile NODE_OPTIONS); BENCH_NODE_ARGS adds
 * more. BENCH_PROFILE=<file.cpuprofile>: a CPU profile of the measured period alone (taken in the
 * child by the inspector; print it with bench/profile-table.ts; BENCH_UNBUNDLED=1 keeps the names).
 * BENCH_CHILD_LOG=<file> keeps the child's stdout (e.g. BENCH_NODE_ARGS=--trace-gc).
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, buildBench, compiledBench, shippedNodeFlags } from './build.js';
import { line } from './generate-log.js';
import { fmt, median, table } from './measure.js';
import { mulberry32 } from '../src/stats/random.js';

const rate = Number(process.env.BENCH_RATE ?? 1000);
const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const base = process.env.BENCH_BASE ? resolve(process.env.BENCH_BASE) : undefined;
// The pre-filled lines hold the 10k warm-up records (status 200; the 1 % of failed requests do not
// count toward the warm-up, so 10,000 lines left the last ~100 records and the reference fit, PCA
// included, ~0.2–0.5 s of CPU, inside the measured minute: start-up work, not the steady state).
const PREFILL = 10_500;
// BENCH_CHILD_LOG=<file>: the child's stdout appended there (with BENCH_NODE_ARGS=--trace-gc, the collections by reason).
const childLog = process.env.BENCH_CHILD_LOG;
const total = PREFILL + rate * seconds;
const dir = join(ROOT, '.bench', 'overhead');
const log = join(dir, 'model.log');
mkdirSync(dir, { recursive: true });
// BENCH_NODE_ARGS: extra node flags for the child (BENCH_PROFILE, not --cpu-prof, profiles the measured period).
const nodeArgs = [...shippedNodeFlags(), ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean)];

interface LiveResult {
  wall: number;
  cpuSeconds: number;
  lines: number;
  maxRssMiB: number;
  /** Collector pauses on the main thread over the period (absent in a tree from before they were measured). */
  gc?: { minorMs: number; majorMs: number; major: number };
  /** CPU seconds by thread name (absent in a tree from before they were measured, or off Linux). */
  threads?: Record<string, number>;
}

/** Scrapes /metrics every 15 s from this process (Prometheus is not in the sidecar's pod either) until stopped; returns the count. */
function scraper(url: string): { stop: () => number } {
  let scrapes = 0;
  const timer = setInterval(() => {
    void fetch(`${url}/metrics`)
      .then((r) => r.text())
      .then(() => void scrapes++)
      .catch(() => undefined);
  }, 15_000);
  return {
    stop: () => {
      clearInterval(timer);
      return scrapes;
    },
  };
}

async function runOnce(root: string): Promise<LiveResult & { scrapes: number }> {
  const rand = mulberry32(3);
  const start = Date.now() - PREFILL;
  const lines = (from: number, to: number) => {
    const out: string[] = [];
    for (let i = from; i < to; i++) out.push(line(i, total * 2, rand, start));
    return out.join('\n') + '\n';
  };
  writeFileSync(log, lines(0, PREFILL));
  const child = spawn(process.execPath, [...nodeArgs, compiledBench('run-live', root), log, String(PREFILL), String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const output = createInterface({ input: child.stdout });
  let written = PREFILL;
  const writer = () => {
    const t0 = performance.now();
    const timer = setInterval(() => {
      const due = Math.min(total, PREFILL + Math.floor(((performance.now() - t0) / 1000) * rate));
      if (due > written) appendFileSync(log, lines(written, due));
      written = due;
      if (written >= total) clearInterval(timer);
    }, 100);
  };
  let last = '';
  let scraping: { stop: () => number } | undefined;
  for await (const l of output) {
    if (childLog) appendFileSync(childLog, l + '\n');
    if (l.startsWith('ready ')) {
      writer();
      scraping = scraper(l.slice(6));
    }
    last = l;
  }
  return { ...(JSON.parse(last) as LiveResult), scrapes: scraping?.stop() ?? 0 };
}

buildBench(['run-live']);
if (base) buildBench(['run-live'], base);
const trees = base ? [ROOT, base] : [ROOT];
const results = trees.map(() => [] as (LiveResult & { scrapes: number })[]);
for (let r = 0; r < rounds; r++) {
  for (let k = 0; k < trees.length; k++) {
    const i = (k + r) % trees.length;
    const res = await runOnce(trees[i]);
    results[i].push(res);
    const threads = res.threads ? `; CPU s by thread: ${Object.entries(res.threads).filter(([, t]) => t > 0).sort((a, b) => b[1] - a[1]).map(([name, t]) => `${name} ${fmt.fixed(t, 2)}`).join(', ')}` : '';
    console.log(`round ${r + 1} ${i === 0 ? 'modelwatch' : 'before'}: ${fmt.fixed((100 * res.cpuSeconds) / res.wall, 2)} % of a core, ${fmt.int(res.lines)} lines, ${res.scrapes} scrapes${res.gc ? `, GC pauses ${fmt.fixed(res.gc.minorMs + res.gc.majorMs, 0)} ms (${res.gc.major} major: ${fmt.fixed(res.gc.majorMs, 0)} ms)` : ''}${threads}`);
  }
}

const row = (name: string, rs: LiveResult[]) => {
  const share = median(rs.map((r) => r.cpuSeconds / r.wall));
  return [name, fmt.int(rate), fmt.fixed(share * 60, 2), fmt.fixed(100 * share, 2), fmt.int(median(rs.map((r) => r.maxRssMiB)))];
};
console.log(`\nmodelwatch live, tailing ${fmt.int(rate)} records/s for ${seconds} s, scraped every 15 s, state checkpoints every 5 s; median of ${rounds}\n`);
console.log(
  table(
    ['', 'records/s', 'CPU s per minute', '% of one core', 'peak RSS MiB'],
    trees.map((t, i) => row(i === 0 ? 'modelwatch' : `before (${t})`, results[i])),
  ),
);
