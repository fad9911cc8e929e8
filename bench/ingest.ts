/**
 * `npm run bench`: generates a 1M-line model log (20 features, fixed seed) and prints records/s,
 * CPU and peak RSS of the full pipeline (tail → map → metrics) in one-shot mode.
 * BENCH_LINES overrides the size.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLog } from './generate-log.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const n = Number(process.env.BENCH_LINES ?? 1_000_000);
const log = join(ROOT, '.bench', `model-log-${n}.jsonl`);
const t0 = performance.now();
await generateLog(log, n);
console.log(`log: ${log} (${n} lines, generated or reused in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);

const run = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'bench', 'run-pipeline.ts'), log], { encoding: 'utf8', maxBuffer: 1 << 26 });
if (run.status !== 0) {
  console.error(run.stderr);
  process.exit(1);
}
const r = JSON.parse(run.stdout.trim().split('\n').at(-1) ?? '{}') as { lines: number; seconds: number; cpuSeconds: number; maxRssMiB: number };
const rows = [
  ['lines', String(r.lines)],
  ['wall seconds', r.seconds.toFixed(2)],
  ['records/s', Math.round(r.lines / r.seconds).toLocaleString('en-US')],
  ['CPU seconds', r.cpuSeconds.toFixed(2)],
  ['cores used', (r.cpuSeconds / r.seconds).toFixed(2)],
  ['peak RSS MiB', r.maxRssMiB.toFixed(0)],
];
console.log('\n| modelwatch one-shot (tail → map → traffic + drift 20 features × 2 windows) | |\n|---|---|');
for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
