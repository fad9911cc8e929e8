/**
 * `npm run bench:overhead`: modelwatch's CPU at a realistic load. Pre-fills a log with the 10k
 * warm-up records, starts modelwatch live on it (bench/run-live.ts, compiled), then appends
 * BENCH_RATE records/s (default 1,000) in 100 ms batches for BENCH_SECONDS (default 60) while
 * modelwatch tails it and is scraped every 15 s. Prints CPU seconds per minute and % of one core.
 * BENCH_NODE_ARGS adds node flags to the modelwatch child (a CPU profile: `--cpu-prof --cpu-prof-dir=DIR`).
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { ROOT, buildBench, compiledBench } from './build.js';
import { line } from './generate-log.js';
import { fmt, table } from './measure.js';
import { mulberry32 } from '../src/stats/random.js';

const rate = Number(process.env.BENCH_RATE ?? 1000);
const seconds = Number(process.env.BENCH_SECONDS ?? 60);
const PREFILL = 10_000;
const total = PREFILL + rate * seconds;
const log = join(ROOT, '.bench', 'overhead', 'model.log');
mkdirSync(join(ROOT, '.bench', 'overhead'), { recursive: true });
const rand = mulberry32(3);
const start = Date.now() - PREFILL;
const lines = (from: number, to: number) => {
  const out: string[] = [];
  for (let i = from; i < to; i++) out.push(line(i, total * 2, rand, start));
  return out.join('\n') + '\n';
};
writeFileSync(log, lines(0, PREFILL));
buildBench(['run-live']);

// BENCH_NODE_ARGS: extra node flags for the child, e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`.
const nodeArgs = (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
const child = spawn(process.execPath, [...nodeArgs, compiledBench('run-live'), log, String(PREFILL), String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
const output = createInterface({ input: child.stdout });
const reply = (async () => {
  let last = '';
  for await (const l of output) {
    if (l === 'ready') writer();
    last = l;
  }
  return JSON.parse(last) as { wall: number; cpuSeconds: number; lines: number; scrapes: number; maxRssMiB: number };
})();

let written = PREFILL;
function writer(): void {
  const t0 = performance.now();
  const timer = setInterval(() => {
    const due = Math.min(total, PREFILL + Math.floor(((performance.now() - t0) / 1000) * rate));
    if (due > written) appendFileSync(log, lines(written, due));
    written = due;
    if (written >= total) clearInterval(timer);
  }, 100);
}

const r = await reply;
const perMinute = (r.cpuSeconds / r.wall) * 60;
console.log(`\nmodelwatch live, tailing ${fmt.int(rate)} records/s for ${r.wall.toFixed(0)} s (${fmt.int(r.lines)} lines read, ${r.scrapes} scrapes)\n`);
console.log(
  table(
    ['records/s', 'CPU s per minute', '% of one core', 'peak RSS MiB'],
    [[fmt.int(rate), fmt.fixed(perMinute, 2), fmt.fixed((100 * r.cpuSeconds) / r.wall, 2), fmt.int(r.maxRssMiB)]],
  ),
);
