/**
 * `npm run bench:drift`, `bench:metrics` and `bench:memory` (one script, BENCH_WIDE picks the
 * table): the pipeline over wide logs (bench/run-wide.ts), compiled first (bench/build.ts).
 *   drift:   100 features × 10k-observation windows, every method: drift tick time (median of 5)
 *   metrics: 100 features × 2 windows: /metrics render time (median of 30), series, bytes
 *   memory:  RSS at 10, 100 and 1,000 features, and at 1k vs 50k records/s (same record count)
 */
import { join } from 'node:path';
import { ROOT, buildBench, compiledBench, shippedNodeFlags } from './build.js';
import { fmt, measure, table } from './measure.js';
import { writeWideLog } from './wide-log.js';

interface WideResult {
  lines: number;
  tickMs: number;
  driftTickMs: number;
  renderMs: number;
  renderMaxMs: number;
  series: number;
  bytes: number;
  rssMiB: number;
  heapMiB: number;
  arrayBuffersMiB: number;
  maxRssMiB: number;
}

const LINES = Number(process.env.BENCH_LINES ?? 12_000);
const which = process.argv[2] ?? process.env.BENCH_WIDE ?? 'all';

async function run(features: number, rate: number, lines = LINES): Promise<WideResult & { wall: number; cpu: number }> {
  const log = join(ROOT, '.bench', `wide-${features}f-${lines}-${rate}rps.jsonl`);
  await writeWideLog(log, features, lines, rate);
  const m = measure(process.execPath, [...shippedNodeFlags(), compiledBench('run-wide'), log, String(features)]);
  return { ...(JSON.parse(m.stdout.trim().split('\n').at(-1)!) as WideResult), wall: m.wallSeconds, cpu: m.cpuSeconds };
}

buildBench(['run-wide']);
if (which === 'drift' || which === 'metrics' || which === 'all') {
  const r = await run(100, 1000);
  console.log(`\n100 features × 2 windows (count 10k, 1h with 10k values), every method, ${r.lines} lines\n`);
  console.log(
    table(
      ['drift tick ms (median of 5)', 'all analyzers tick ms', '/metrics render ms (median of 30)', 'render max ms', 'series', 'bytes'],
      [[fmt.fixed(r.driftTickMs, 1), fmt.fixed(r.tickMs, 1), fmt.fixed(r.renderMs, 1), fmt.fixed(r.renderMaxMs, 1), fmt.int(r.series), fmt.int(r.bytes)]],
    ),
  );
}
if (which === 'memory' || which === 'all') {
  const rows: string[][] = [];
  for (const [features, rate] of [
    [10, 1000],
    [100, 1000],
    [1000, 1000],
    [100, 50_000],
  ]) {
    const r = await run(features, rate);
    rows.push([String(features), fmt.int(rate), String(r.lines), fmt.int(r.rssMiB), fmt.int(r.heapMiB), fmt.int(r.arrayBuffersMiB), fmt.int(r.maxRssMiB)]);
  }
  console.log(`\nMemory after ingesting ${LINES} lines (10k of them the warm-up reference), 2 windows of 10k observations\n`);
  console.log(table(['features', 'records/s (event time)', 'lines', 'RSS MiB', 'heap used MiB', 'array buffers MiB', 'peak RSS MiB'], rows));
}
