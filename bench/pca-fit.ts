/**
 * `npx tsx bench/pca-fit.ts`: the multivariate (PCA reconstruction) drift's own costs, apart from
 * the pipeline: the fit on a warm-up reference of BENCH_ROWS records (default 10,000) of the ingest
 * bench's log (20 features: 15 numeric, 5 categorical → 40 encoded columns), and the per-record
 * error of a typed row (errorOfColumns) over 1,000,000 records (64 distinct rows in turn, as hot in the cache as the one set the scanner reuses),
 * and the same records through MultivariateDrift.observeColumns into a count and a time window (what the pipeline pays per record).
 *
 * Each measurement runs in a fresh process (`node --import tsx`), because a one-shot run fits once,
 * cold: the first fit is mostly code that has not been optimised yet. "warm" is the median of five
 * more fits in the same process. BENCH_ROUNDS rounds (default 5), interleaved with BENCH_BASE=<another
 * checkout> (its src/, this bench) when given; medians of CPU time (user+sys of the process, around
 * the call only). The last column says whether the fitted model's numbers equal the first tree's.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { line } from './generate-log.js';
import { childResult, fmt, interleaved, median, table } from './measure.js';
import { mulberry32 } from '../src/stats/random.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..');
const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const SCORED = 1_000_000;
/** Distinct typed rows, scored in turn. */
const LENT = 64;

interface Child {
  coldMs: number;
  warmMs: number;
  perRecordNs: number;
  /** MultivariateDrift.observeColumns + its windows (a count window of 10,000, a 1 h time window), the tick included. */
  streamNs: number;
  model: { width: number; components: number; referenceMean: number; referenceStd: number; heldOutMean: number; heldOutStd: number; explainedVariance: number };
  meanError: number;
}

async function child(root: string): Promise<void> {
  const { fitReconstruction } = (await import(`${root}/src/stats/multivariate/pca-reconstruction.ts`)) as typeof import('../src/stats/multivariate/pca-reconstruction.js');
  const { ReconstructionScorer } = (await import(`${root}/src/stats/multivariate/reconstruction-scorer.ts`)) as typeof import('../src/stats/multivariate/reconstruction-scorer.js');
  const fc = (await import(`${root}/src/core/feature-columns.ts`)) as typeof import('../src/core/feature-columns.js');
  const { MultivariateDrift } = (await import(`${root}/src/windows/multivariate-drift.ts`)) as typeof import('../src/windows/multivariate-drift.js');
  const rand = mulberry32(42);
  const records = Array.from({ length: ROWS + LENT }, (_, i) => (JSON.parse(line(i, 2 * ROWS, rand, 0)) as { features: Record<string, number | string> }).features);
  const names = Object.keys(records[0]);
  const columns = names.map((name) => ({ name, type: typeof records[0][name] === 'number' ? ('numeric' as const) : ('categorical' as const), values: records.slice(0, ROWS).map((r) => r[name]) }));
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let t = cpu();
  const model = fitReconstruction(columns, { explainedVariance: Number(process.env.SHARE ?? 0.65) })!;
  const coldMs = cpu() - t;
  const warm: number[] = [];
  for (let i = 0; i < 5; i++) {
    t = cpu();
    fitReconstruction(columns);
    warm.push(cpu() - t);
  }
  // Typed rows as the line scanner lends them (strings interned), built before the clock starts.
  const scorer = new ReconstructionScorer(model);
  const at = Int32Array.from(names, (_, i) => i);
  const interned = new Map<string, string>();
  const intern = (v: string) => interned.get(v) ?? (interned.set(v, v), v);
  const lent = records.slice(ROWS, ROWS + LENT).map((r) => {
    const c = fc.featureColumns(names.length);
    c.keys = names;
    names.forEach((name, i) => {
      const v = r[name];
      if (typeof v === 'number') {
        c.kinds[i] = fc.NUMBER;
        c.numbers[i] = v;
      } else {
        c.kinds[i] = fc.STRING;
        c.strings[i] = intern(v);
      }
    });
    return c;
  });
  let sum = 0;
  t = cpu();
  // A tree before the multivariate-rows step takes the features' positions as a second argument (later ones find them by c.keys and ignore it).
  const either = scorer as unknown as { errorOfColumns(c: (typeof lent)[number], at: Int32Array): number };
  for (let r = 0; r < SCORED; r++) sum += either.errorOfColumns(lent[r % LENT], at);
  const perRecordNs = ((cpu() - t) * 1e6) / SCORED;
  const stream = new MultivariateDrift(model, [{ label: 'last_10000', count: 10_000 }, { label: '1h', seconds: 3600 }], { threshold: 'std', stdMultiplier: 3, falseAlarmRate: 0.01, minSamples: 100, maxWindowValues: 10_000 });
  t = cpu();
  for (let r = 0; r < SCORED; r++) stream.observeColumns(1_700_000_000 + r / 1000, lent[r % LENT]);
  stream.compute(1_700_000_000 + SCORED / 1000);
  const streamNs = ((cpu() - t) * 1e6) / SCORED;
  const { encoder, components, referenceMean, referenceStd, heldOutMean, heldOutStd, explainedVariance } = model;
  const out: Child = {
    coldMs,
    warmMs: median(warm),
    perRecordNs,
    streamNs,
    model: { width: encoder.width, components: components.length, referenceMean, referenceStd, heldOutMean, heldOutStd, explainedVariance },
    meanError: sum / SCORED,
  };
  console.log(JSON.stringify(out));
}

if (process.argv[2] === 'child') {
  await child(process.argv[3]);
} else {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const trees = [ROOT, ...(process.env.BENCH_BASE ? [resolve(process.env.BENCH_BASE)] : [])];
  const runs = interleaved(trees.length, rounds, (i) => childResult<Child>(fileURLToPath(import.meta.url), trees[i], [], { BENCH_ROWS: String(ROWS) }));
  const first = runs[0][0];
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);
  const agreement = (m: Child) => {
    const keys = Object.keys(first.model) as (keyof Child['model'])[];
    const worst = Math.max(rel(m.meanError, first.meanError), ...keys.map((k) => rel(m.model[k], first.model[k])));
    return worst === 0 ? 'identical' : `max rel. diff ${worst.toExponential(1)}`;
  };
  console.log(`fit on ${fmt.int(ROWS)} rows × ${first.model.width} encoded columns, k = ${first.model.components}; error of ${fmt.int(SCORED)} typed rows; median of ${rounds} rounds, CPU\n`);
  console.log(
    table(
      ['tree', 'fit cold ms', 'fit warm ms', 'errorOfColumns ns/record', 'observeColumns + windows ns/record', 'held-out mean', 'numbers vs first tree'],
      trees.map((tree, i) => [
        tree,
        fmt.fixed(median(runs[i].map((m) => m.coldMs)), 1),
        fmt.fixed(median(runs[i].map((m) => m.warmMs)), 1),
        fmt.fixed(median(runs[i].map((m) => m.perRecordNs)), 0),
        fmt.fixed(median(runs[i].map((m) => m.streamNs)), 0),
        String(runs[i][0].model.heldOutMean),
        agreement(runs[i][0]),
      ]),
    ),
  );
}
