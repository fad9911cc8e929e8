/**
 * `npm run bench:ingest`: modelwatch's full one-shot pipeline against mtail on the same log.
 *
 * Generates the model log (fixed seed, BENCH_LINES lines, default 1M: 20 features, latency, status,
 * model, version), compiles modelwatch (bench/build.ts), then runs, interleaved over BENCH_ROUNDS
 * rounds (default 3):
 *   (a) modelwatch: tail → map → traffic (latency histogram, counters) + drift (20 features × 2
 *       windows: bins and raw values) + data and model quality → /metrics text (bench/run-pipeline.ts)
 *   (b) mtail -one_shot with bench/mtail/modelwatch.mtail: latency histogram + status counter.
 * Each is measured from outside by /usr/bin/time (wall, user+sys CPU, peak RSS, startup included);
 * the table shows the median round. BENCH_CONFIG (JSON) is merged into modelwatch's config.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, buildBench, compiledBench } from './build.js';
import { generateLog } from './generate-log.js';
import { fmt, measure, median, table, type Measured } from './measure.js';

const MTAIL = '/usr/bin/mtail';
const n = Number(process.env.BENCH_LINES ?? 1_000_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const log = join(ROOT, '.bench', `model-log-${n}.jsonl`);

const t0 = performance.now();
await generateLog(log, n);
console.log(`log: ${log} (${n} lines, generated or reused in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
buildBench(['run-pipeline']);
if (!existsSync(MTAIL)) console.log(`${MTAIL} not found (Debian: apt-get install mtail): modelwatch only`);

const runs: { modelwatch: Measured[]; mtail: Measured[] } = { modelwatch: [], mtail: [] };
const mtailCounted: number[] = [];
for (let r = 0; r < rounds; r++) {
  runs.modelwatch.push(measure(process.execPath, [compiledBench('run-pipeline'), log]));
  const self = JSON.parse(runs.modelwatch.at(-1)!.stdout.trim().split('\n').at(-1)!) as { lines: number };
  if (self.lines !== n) throw new Error(`modelwatch read ${self.lines} lines, expected ${n}`);
  if (!existsSync(MTAIL)) continue;
  const m = measure(MTAIL, ['-one_shot', '-one_shot_format', 'prometheus', '-progs', join(ROOT, 'bench', 'mtail'), '-logs', log, '-logtostderr']);
  runs.mtail.push(m);
  mtailCounted.push(countRequests(m.stdout));
  console.log(`round ${r + 1}: modelwatch ${runs.modelwatch.at(-1)!.wallSeconds.toFixed(2)} s, mtail ${m.wallSeconds.toFixed(2)} s`);
}
if (mtailCounted.some((c) => c !== n)) console.log(`warning: mtail counted ${mtailCounted.join(', ')} requests of ${n} lines`);

function countRequests(prometheusText: string): number {
  let total = 0;
  for (const line of prometheusText.split('\n')) if (line.startsWith('modelwatch_requests_total{')) total += Number(line.split(' ').at(-1));
  return total;
}

function row(name: string, ms: Measured[]): string[] {
  const wall = median(ms.map((m) => m.wallSeconds));
  const cpu = median(ms.map((m) => m.cpuSeconds));
  return [name, fmt.int(n / wall), fmt.fixed(wall), fmt.fixed(cpu), fmt.fixed(cpu / wall), fmt.int(median(ms.map((m) => m.maxRssMiB)))];
}

const rows = [row('modelwatch (full pipeline)', runs.modelwatch)];
if (runs.mtail.length) rows.push(row('mtail (latency histogram + status counter)', runs.mtail));
console.log(`\n${n.toLocaleString('en-US')} lines, median of ${rounds} interleaved rounds${process.env.BENCH_CONFIG ? `, modelwatch config + ${process.env.BENCH_CONFIG}` : ''}\n`);
console.log(table(['', 'lines/s', 'wall s', 'CPU s', 'cores', 'peak RSS MiB'], rows));
if (runs.mtail.length) {
  const ratio = median(runs.mtail.map((m) => m.wallSeconds)) / median(runs.modelwatch.map((m) => m.wallSeconds));
  console.log(`\nmodelwatch / mtail lines/s: ${ratio.toFixed(2)}× (target ≥ 2.5×)`);
}
