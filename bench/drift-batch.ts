/**
 * `npm run bench:drift-batch`: `modelwatch drift` against the equivalent pandas + numpy + scipy
 * script (bench/drift_batch_pandas.py, Debian /usr/bin/python3) on generated CSVs of BENCH_ROWS rows
 * (default 1M) × 20 columns (15 numeric, 5 categorical; the current file drifts), run side by side
 * over BENCH_ROUNDS rounds (default 3). Prints the median wall time, CPU and peak RSS of each and
 * the ratio (target: modelwatch ≤ 1.0× pandas).
 */
import { createWriteStream, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, buildBench } from './build.js';
import { CATEGORICAL, NUMERIC } from './generate-log.js';
import { fmt, measure, median, table, type Measured } from './measure.js';
import { mulberry32 } from '../src/stats/random.js';

const PYTHON = '/usr/bin/python3';
const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const CATEGORIES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];

async function writeCsv(path: string, n: number, drifted: boolean, seed: number): Promise<void> {
  if (existsSync(path) && statSync(path).size > n * 50) return;
  const rand = mulberry32(seed);
  const out = createWriteStream(path);
  out.write([...NUMERIC, ...CATEGORICAL].join(',') + '\n');
  let batch: string[] = [];
  for (let i = 0; i < n; i++) {
    const cells: string[] = [];
    for (let f = 0; f < NUMERIC.length; f++) cells.push(String(Math.round((rand() * 100 + (drifted && f < 5 ? 20 : 0)) * 1000) / 1000));
    for (let f = 0; f < CATEGORICAL.length; f++) cells.push(CATEGORIES[Math.floor(rand() * (drifted && f === 0 ? 8 : 5))]);
    batch.push(cells.join(','));
    if (batch.length === 10_000) {
      if (!out.write(batch.join('\n') + '\n')) await new Promise<void>((r) => out.once('drain', () => r()));
      batch = [];
    }
  }
  if (batch.length) out.write(batch.join('\n') + '\n');
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

const ref = join(ROOT, '.bench', `drift-ref-${rows}.csv`);
const cur = join(ROOT, '.bench', `drift-cur-${rows}.csv`);
await writeCsv(ref, rows, false, 1);
await writeCsv(cur, rows, true, 2);
buildBench([]);
const cli = join(ROOT, '.bench', 'dist', 'src', 'cli.js');
const cats = CATEGORICAL.join(',');

const runs: { modelwatch: Measured[]; pandas: Measured[] } = { modelwatch: [], pandas: [] };
for (let r = 0; r < rounds; r++) {
  runs.modelwatch.push(measure(process.execPath, [cli, 'drift', '--reference', ref, '--current', cur, '--categorical', cats, '--format', 'json', '--out', '/dev/null']));
  if (existsSync(PYTHON)) runs.pandas.push(measure(PYTHON, [join(ROOT, 'bench', 'drift_batch_pandas.py'), ref, cur, cats]));
  console.log(`round ${r + 1}: modelwatch ${runs.modelwatch.at(-1)!.wallSeconds.toFixed(2)} s${runs.pandas.length ? `, pandas ${runs.pandas.at(-1)!.wallSeconds.toFixed(2)} s` : ''}`);
}

const line = (name: string, ms: Measured[]) => [name, fmt.fixed(median(ms.map((m) => m.wallSeconds))), fmt.fixed(median(ms.map((m) => m.cpuSeconds))), fmt.int(median(ms.map((m) => m.maxRssMiB)))];
console.log(`\n${rows.toLocaleString('en-US')} rows × 20 columns (reference and current), median of ${rounds} interleaved rounds\n`);
const lines = [line('modelwatch drift', runs.modelwatch)];
if (runs.pandas.length) lines.push(line('pandas + numpy + scipy', runs.pandas));
console.log(table(['', 'wall s', 'CPU s', 'peak RSS MiB'], lines));
if (runs.pandas.length) {
  const ratio = median(runs.modelwatch.map((m) => m.wallSeconds)) / median(runs.pandas.map((m) => m.wallSeconds));
  console.log(`\nmodelwatch / pandas time: ${ratio.toFixed(2)}× (target ≤ 1.0×)`);
} else console.log(`${PYTHON} not found: install python3-pandas and python3-scipy for the comparison`);
