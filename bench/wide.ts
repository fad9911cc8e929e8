/**
 * `npm run bench:drift`, `bench:metrics` and `bench:memory` (one script, BENCH_WIDE picks the
 * table): the pipeline over wide logs (bench/run-wide.ts), compiled first (bench/build.ts).
 *   drift:   100 features × 10k-observation windows, every method: drift tick time (median of 5)
 *   metrics: 100 features × 2 windows: /metrics render time (median of 30), series, bytes
 *   memory:  RSS at 10, 100 and 1,000 features, and at 1k vs 50k records/s (same record count)
 * metrics and drift: BENCH_ROUNDS runs (default 1); BENCH_BASE=<another checkout> alternates them
 * with that tree's (a `git worktree` of the commit before a change, node_modules symlinked), the
 * before/after in one sitting. The render is also timed by its CPU (process.cpuUsage: what it costs
 * on a quiet machine) and right after a tick (every value moved since the scrape before).
 */
import { join, resolve } from 'node:path';
import { ROOT, benchNode, buildBench, compiledBench, nodeVersion, shippedNodeFlags } from './build.js';
import { fmt, measure, median, table } from './measure.js';
import { writeWideLog } from './wide-log.js';

interface WideResult {
  lines: number;
  tickMs: number;
  /** Absent in a tree from before it was measured. */
  tickMainMs?: number;
  driftTickMs: number;
  renderMs: number;
  renderMaxMs: number;
  /** Absent in a tree from before they were measured. */
  renderCpuMs?: number;
  renderAfterTickMs?: number;
  renderAfterTickCpuMs?: number;
  /** The main thread's CPU alone (the process's also counts the collector's helper threads). */
  renderMainMs?: number;
  renderAfterTickMainMs?: number;
  series: number;
  bytes: number;
  rssMiB: number;
  heapMiB: number;
  arrayBuffersMiB: number;
  maxRssMiB: number;
}

const LINES = Number(process.env.BENCH_LINES ?? 12_000);
const which = process.argv[2] ?? process.env.BENCH_WIDE ?? 'all';
const rounds = Number(process.env.BENCH_ROUNDS ?? 1);
const base = process.env.BENCH_BASE ? resolve(process.env.BENCH_BASE) : undefined;

async function run(features: number, rate: number, lines = LINES, root = ROOT): Promise<WideResult & { wall: number; cpu: number }> {
  const log = join(ROOT, '.bench', `wide-${features}f-${lines}-${rate}rps.jsonl`);
  await writeWideLog(log, features, lines, rate);
  const m = measure(benchNode(), [...shippedNodeFlags(), compiledBench('run-wide', root), log, String(features)]);
  return { ...(JSON.parse(m.stdout.trim().split('\n').at(-1)!) as WideResult), wall: m.wallSeconds, cpu: m.cpuSeconds };
}

buildBench(['run-wide']);
if (base) buildBench(['run-wide'], base);
console.log(`children run on ${nodeVersion(benchNode())} ${shippedNodeFlags().join(' ')}`);
if (which === 'drift' || which === 'metrics' || which === 'all') {
  const trees: [string, string][] = base ? [['this tree', ROOT], ['base', base]] : [['this tree', ROOT]];
  const runs = new Map<string, WideResult[]>(trees.map(([name]) => [name, []]));
  for (let round = 0; round < rounds; round++) for (const [name, root] of trees) runs.get(name)!.push(await run(100, 1000, LINES, root));
  const ms = (v: number | undefined) => (v === undefined ? '–' : fmt.fixed(v, 1));
  const rows: string[][] = [];
  for (const [name, rs] of runs) {
    for (const [i, r] of rs.entries()) {
      rows.push([`${name} run ${i + 1}`, ms(r.driftTickMs), ms(r.tickMs), ms(r.tickMainMs), ms(r.renderMs), ms(r.renderMaxMs), ms(r.renderCpuMs), ms(r.renderMainMs), ms(r.renderAfterTickMs), ms(r.renderAfterTickCpuMs), ms(r.renderAfterTickMainMs), fmt.int(r.series), fmt.int(r.bytes)]);
    }
    const med = (f: (r: WideResult) => number | undefined) => (rs.some((r) => f(r) === undefined) ? undefined : median(rs.map((r) => f(r)!)));
    if (rs.length > 1) rows.push([`**${name}, median**`, ms(med((r) => r.driftTickMs)), ms(med((r) => r.tickMs)), ms(med((r) => r.tickMainMs)), ms(med((r) => r.renderMs)), ms(med((r) => r.renderMaxMs)), ms(med((r) => r.renderCpuMs)), ms(med((r) => r.renderMainMs)), ms(med((r) => r.renderAfterTickMs)), ms(med((r) => r.renderAfterTickCpuMs)), ms(med((r) => r.renderAfterTickMainMs)), '', '']);
  }
  console.log(`\n100 features × 2 windows (count 10k, 1h with 10k values), every method, ${LINES} lines\n`);
  console.log(
    table(
      ['', 'drift tick ms (median of 5)', 'all analyzers tick ms', 'its main thread CPU ms', '/metrics render ms (median of 30)', 'render max ms', 'render CPU ms (median)', 'main thread ms', 'render after a tick ms (median of 5)', 'its CPU ms', 'main thread ms', 'series', 'bytes'],
      rows,
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
