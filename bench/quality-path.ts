/**
 * `npx tsx bench/quality-path.ts [checks|ids|join|ids+join|all]`: the per-record work of data quality and
 * model quality alone, on synthetic records shaped as the ingest bench's (15 numeric + 5
 * categorical features in a lent record's typed columns, request ids `req-%08d` as flat strings):
 * FeatureChecks.check (issue and value windows, count 10k + 1 h), RecentIds.seen (10k ids), and
 * LabelJoiner.addPrediction (100k waiting predictions, one evicted per record once full), the last two
 * sharing one id table where the tree has it (core/shared-ids.ts), as the analyzer set makes them,
 * and taking the id from its bytes where the tree can (core/id-bytes.ts), as from a lent record. With
 * BENCH_BASE=<another checkout>, that tree's classes run in the same process, alternating round by
 * round, so a before/after shares the machine's load (a whole-pipeline run moves by ±10 % on a
 * shared machine; this part of it is ~18 % of the pipeline). CPU ns a record (the loop that fills
 * the columns included, the same in both), best and median of BENCH_ROUNDS (default 8, the first dropped).
 */
import { resolve } from 'node:path';
import { ROOT } from './build.js';
import { interleaved, median, table } from './measure.js';

const N = Number(process.env.BENCH_RECORDS ?? 200_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 8);
const which = process.argv[2] ?? 'all';
const trees = [ROOT, ...(process.env.BENCH_BASE ? [resolve(process.env.BENCH_BASE)] : [])];
const numeric = Array.from({ length: 15 }, (_, i) => `num_${String(i).padStart(2, '0')}`);
const categorical = Array.from({ length: 5 }, (_, i) => `cat_${i}`);
const keys = Object.freeze([...numeric, ...categorical]);
const categories = ['alpha', 'bravo', 'charlie', 'delta'];
let seed = 1;
const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
const values = Float64Array.from({ length: 15 * 4096 }, () => Math.round(rnd() * 100_000) / 1000);
// Flat one-byte strings, as the scanner's are (a template literal would make a cons string).
const ids = Array.from({ length: (ROUNDS + 1) * N }, (_, i) => Buffer.from(`req-${String(i).padStart(8, '0')}`, 'latin1').toString('latin1'));
// The same ids as a log's bytes (12 bytes each, one after the other), for a tree whose stores take a lent record's id from its line.
const idBytes = Buffer.from(ids.join(''), 'latin1');

async function setup(root: string): Promise<() => number> {
  const { FeatureChecks } = await import(`${root}/src/analyzers/quality/feature-checks.ts`);
  const { buildRule } = await import(`${root}/src/analyzers/quality/feature-rules.ts`);
  const { RecentIds } = await import(`${root}/src/analyzers/quality/recent-ids.ts`);
  const { LabelJoiner } = await import(`${root}/src/windows/label-join.ts`);
  const { featureColumns, NUMBER, STRING } = await import(`${root}/src/core/feature-columns.ts`);
  const rules = [
    ...numeric.map((name) => buildRule(name, { type: 'numeric', profile: { type: 'numeric', n: 100, min: 0, max: 100 } as never, tolerance: 0.1 })),
    ...categorical.map((name) => buildRule(name, { type: 'categorical', profile: { type: 'categorical', other: 0, categories } as never, tolerance: 0.1 })),
  ];
  const checks = new FeatureChecks(rules, { specs: [{ label: 'count', count: 10_000 }, { label: '1h', seconds: 3600 }], maxUnexpected: 10, maxWindowValues: 10_000 });
  // A tree from before the shared id table ignores the extra arguments: each store has its own.
  const shared = await import(`${root}/src/core/shared-ids.ts`).catch(() => undefined);
  const table = shared ? new shared.SharedIds() : undefined;
  const recent = new RecentIds(10_000, table);
  let now = 1_767_225_600_000;
  const joiner = new LabelJoiner({ clock: { now: () => now }, ids: table });
  const doChecks = which === 'checks' || which === 'all';
  const doIds = which === 'ids' || which === 'ids+join' || which === 'all';
  const doJoin = which === 'join' || which === 'ids+join' || which === 'all';
  // The record's id as a lent record gives it where the tree has core/id-bytes.ts: its bytes, a new serial each record.
  const bytesOf = await import(`${root}/src/core/id-bytes.ts`).catch(() => undefined);
  const ref = { bytes: idBytes, start: 0, end: 0, serial: 0 };
  const recordId = { requestId: '', requestIdBytes: bytesOf ? ref : undefined };
  const c = featureColumns(20);
  c.keys = keys;
  const record = { timestamp: 0, columns: c, featureKeys: keys, features: {}, requestId: '', model: 'm', version: 'v1', prediction: 0.5 };
  const input = { requestId: '', requestIdBytes: undefined as unknown, model: 'm', version: 'v1', prediction: 0.5, scores: undefined, timestamp: 0, segments: undefined };
  let at = 0;
  return () => {
    const t0 = process.cpuUsage();
    for (let i = 0; i < N; i++, at++) {
      const b = (at & 4095) * 15;
      for (let k = 0; k < 15; k++) {
        c.kinds[k] = NUMBER;
        c.numbers[k] = values[b + k];
      }
      for (let k = 0; k < 5; k++) {
        c.kinds[15 + k] = STRING;
        c.strings[15 + k] = categories[(at + k) & 3];
      }
      record.timestamp = 1_767_225_600 + at / 1000;
      now = 1_767_225_600_000 + at;
      record.requestId = ids[at];
      if (bytesOf) {
        bytesOf.setIdBytes(ref, idBytes, 12 * at, 12 * at + 12);
        recordId.requestId = ids[at];
      }
      if (doChecks) checks.check(record, false);
      if (doIds) recent.seen(bytesOf ? recordId : record.requestId);
      if (doJoin) {
        input.requestIdBytes = recordId.requestIdBytes;
        input.requestId = record.requestId;
        input.timestamp = record.timestamp;
        joiner.addPrediction(input);
      }
    }
    const u = process.cpuUsage(t0);
    return ((u.user + u.system) * 1000) / N;
  };
}

const runs = await Promise.all(trees.map(setup));
// The first round warms V8 up: dropped.
const times = interleaved(runs.length, ROUNDS, (i) => runs[i]()).map((ts) => ts.slice(1));
console.log(`${which}: ${N} records a round, ${ROUNDS} rounds alternating (the first dropped), CPU ns a record\n`);
console.log(table(['tree', 'best', 'median'], trees.map((t, i) => [t === ROOT ? 'this tree' : `before (${t})`, Math.min(...times[i]).toFixed(0), median(times[i]).toFixed(0)])));
