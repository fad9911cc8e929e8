/**
 * `npx tsx bench/warmup-reference.ts`: the warm-up reference build alone, as the drift analyzer runs
 * it when a model version's warm-up is complete: BENCH_ROWS records (default 10,000) of the ingest
 * bench's log held in WarmupRows, then the profile of every column (bins, sorted sample) and the
 * multivariate PCA model built from them (reference-profile.ts buildProfile).
 *
 * Each round runs in a fresh process (`node --import tsx`, --max-semi-space-size=2 as the image
 * runs), since a one-shot run builds once, cold. Reported per tree: CPU ms of the build (user+sys,
 * around the call only), and what it left in memory: the V8 heap's committed size (heapTotal) and
 * its bytes in use after a full collection, both as growth over the moment before the build.
 * BENCH_ROUNDS rounds (default 5), interleaved with BENCH_BASE=<another checkout> (its src/, this
 * bench) when given; medians.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CATEGORICAL, line, NUMERIC } from './generate-log.js';
import { childResult, fmt, interleaved, median, table } from './measure.js';
import { mulberry32 } from '../src/stats/random.js';
import type { RawValue } from '../src/windows/reference-profile.js';

const ROOT = resolve(fileURLToPath(import.meta.url), '..', '..');
const ROWS = Number(process.env.BENCH_ROWS ?? 10_000);
const MIB = 2 ** 20;

interface Child {
  buildMs: number;
  /** Growth of heapTotal over the build (MiB). */
  heapGrowth: number;
  /** Growth of the heap in use after a full collection (MiB): what the profile keeps. */
  keptHeap: number;
  /** The profile's JSON length (the same in every tree, or the trees disagree). */
  json: number;
}

async function child(root: string): Promise<void> {
  const { WarmupRows } = (await import(`${root}/src/windows/warmup-rows.ts`)) as typeof import('../src/windows/warmup-rows.js');
  const { buildProfile } = (await import(`${root}/src/windows/reference-profile.ts`)) as typeof import('../src/windows/reference-profile.js');
  const names = [...NUMERIC, ...CATEGORICAL];
  const rand = mulberry32(42);
  const rows = new WarmupRows(ROWS, '__prediction__');
  for (let i = 0; i < ROWS; i++) {
    const r = JSON.parse(line(i, 2 * ROWS, rand, 0)) as { features: Record<string, number | string>; prediction: number };
    rows.add(names, r.features, r.prediction);
  }
  const gc = globalThis.gc!;
  gc();
  const before = process.memoryUsage();
  const cpu = process.cpuUsage();
  // What drift.ts hands over: the typed columns in place where the tree has them, copies as arrays before.
  const held = rows as unknown as { columnViews?(): Map<string, RawValue[]>; arrays(): Map<string, RawValue[]> };
  const columns = held.columnViews ? held.columnViews() : held.arrays();
  const profile = buildProfile(
    { source: 'warmup', rows: rows.count, columns, types: Object.fromEntries(names.map((n, i) => [n, i < NUMERIC.length ? 'numeric' : 'categorical'])), predictionColumn: '__prediction__' },
    { bins: 10, maxCategories: 50, maxSample: 100_000, reconstruction: { explainedVariance: 0.65 } },
  );
  const used = process.cpuUsage(cpu);
  const after = process.memoryUsage();
  gc();
  const kept = process.memoryUsage();
  const out: Child = {
    buildMs: (used.user + used.system) / 1000,
    heapGrowth: (after.heapTotal - before.heapTotal) / MIB,
    keptHeap: (kept.heapUsed - before.heapUsed) / MIB,
    json: JSON.stringify({ ...profile, created_at: '' }).length,
  };
  console.log(JSON.stringify(out));
}

if (process.argv[2] === 'child') {
  await child(process.argv[3]);
} else {
  const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
  const trees = [ROOT, ...(process.env.BENCH_BASE ? [resolve(process.env.BENCH_BASE)] : [])];
  const runs = interleaved(trees.length, rounds, (i) => childResult<Child>(fileURLToPath(import.meta.url), trees[i], ['--max-semi-space-size=2', '--expose-gc'], { BENCH_ROWS: String(ROWS) }));
  console.log(`warm-up reference of ${fmt.int(ROWS)} records (15 numeric, 5 categorical, the prediction), with the PCA model; median of ${rounds} rounds, each in a fresh process\n`);
  console.log(
    table(
      ['tree', 'build CPU ms', 'heapTotal growth MiB', 'heap kept MiB (after a full GC)', 'profile JSON chars'],
      trees.map((tree, i) => [
        tree,
        fmt.fixed(median(runs[i].map((m) => m.buildMs)), 1),
        fmt.fixed(median(runs[i].map((m) => m.heapGrowth)), 2),
        fmt.fixed(median(runs[i].map((m) => m.keptHeap)), 2),
        String(runs[i][0].json),
      ]),
    ),
  );
}
