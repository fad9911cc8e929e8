/**
 * Multivariate drift scores records in blocks (windows/multivariate-drift.ts): encoded as they
 * arrive, their errors computed together when the block is full or before a read. Every reader
 * must see what record-at-a-time processing gives: the same windows, scores and snapshots, whether
 * the block was flushed after each record or at odd points (a snapshot mid-block, a tick, a restore).
 */
import { describe, expect, it } from 'vitest';
import { featureColumns, NULL, NUMBER, STRING, TRUE, type FeatureColumns } from '../../src/core/feature-columns.js';
import { emptyRows } from '../../src/stats/multivariate/encoded-rows.js';
import { fitReconstruction } from '../../src/stats/multivariate/pca-reconstruction.js';
import { ReconstructionScorer } from '../../src/stats/multivariate/reconstruction-scorer.js';
import type { EncodedValue } from '../../src/stats/multivariate/record-encoder.js';
import { mulberry32 } from '../../src/stats/random.js';
import { BLOCK, MultivariateDrift } from '../../src/windows/multivariate-drift.js';

const rand = mulberry32(3);
const colours = ['red', 'green', 'blue', 'grey'];
const NAMES = ['a', 'b', 'c', 'd'];

/** A record: a and b numeric (b follows a), c and d categorical; some values missing, odd or unknown. */
function values(i: number, shift = 0): EncodedValue[] {
  const a = rand() * 10;
  return [
    i % 23 === 0 ? null : a,
    i % 31 === 0 ? 'NaN' : 2 * a + rand() + shift,
    i % 29 === 0 ? 'purple' : colours[Math.floor(rand() * 3)],
    i % 13 === 0 ? undefined : i % 37 === 0 ? true : rand() < 0.7 ? 'x' : 'y',
  ];
}

const reference = Array.from({ length: 600 }, (_, i) => values(i));
const model = fitReconstruction(NAMES.map((name, f) => ({ name, type: f < 2 ? ('numeric' as const) : ('categorical' as const), values: reference.map((r) => r[f]) })))!;

/** The record as the scanner lends it: keys in another order than the encoder's, a missing value absent. */
function lent(v: EncodedValue[]): FeatureColumns {
  const order = [3, 1, 0, 2].filter((f) => v[f] !== undefined);
  const c = featureColumns(NAMES.length);
  c.keys = order.map((f) => NAMES[f]);
  order.forEach((f, p) => {
    const x = v[f];
    c.kinds[p] = typeof x === 'number' ? NUMBER : typeof x === 'string' ? STRING : x === true ? TRUE : NULL;
    if (typeof x === 'number') c.numbers[p] = x;
    if (typeof x === 'string') c.strings[p] = x;
  });
  return c;
}

const specs = [
  { label: 'last_500', count: 500 },
  { label: '10m', seconds: 600 },
];
const settings = { threshold: 'std' as const, stdMultiplier: 3, falseAlarmRate: 0.01, minSamples: 20, maxWindowValues: 90 };
const drift = () => new MultivariateDrift(model, specs, settings);
const stream = Array.from({ length: 5 * BLOCK + 17 }, (_, i) => ({ t: 1_700_000_000 + i * 0.7, v: values(i, i > 300 ? 4 : 0) }));

function observe(d: MultivariateDrift, i: number): void {
  const { t, v } = stream[i];
  // Half the records as lent columns, half as object rows: both paths fill the same block.
  if (i % 2 === 0) d.observeColumns(t, lent(v));
  else d.observe(t, Object.fromEntries(NAMES.map((name, f) => [name, v[f]])));
}

describe('multivariate drift in blocks', () => {
  it('scores a block of rows exactly as it scores each row alone', () => {
    const scorer = new ReconstructionScorer(model);
    const block = emptyRows(model.encoder, stream.length);
    stream.forEach(({ v }, r) => scorer.encoding.fromValues((f) => v[f], block, r));
    const together = new Float64Array(stream.length);
    scorer.errors(block, 0, stream.length, together, 0);
    stream.forEach(({ v }, r) => {
      expect(together[r]).toBe(scorer.error((f) => v[f]));
      expect(together[r]).toBe(scorer.errorOfColumns(lent(v)));
    });
    // Unknown categories, missing values and a non-string category all took part.
    expect(stream.some(({ v }) => v[2] === 'purple') && stream.some(({ v }) => v[3] === true)).toBe(true);
  });

  it('gives the windows, scores and snapshots of record-at-a-time processing, flushed at odd points', () => {
    const single = drift();
    const blocked = drift();
    const reads = new Set([1, 37, BLOCK, BLOCK + 1, 2 * BLOCK + 63, 400, stream.length - 1]);
    for (let i = 0; i < stream.length; i++) {
      observe(single, i);
      single.flush();
      observe(blocked, i);
      if (!reads.has(i)) continue;
      const now = stream[i].t;
      // A snapshot mid-block must hold the rows still waiting; then a tick over them.
      expect(blocked.snapshot()).toEqual(single.snapshot());
      blocked.compute(now);
      single.compute(now);
      expect(blocked.results).toEqual(single.results);
    }
    const end = stream.at(-1)!.t + 1;
    single.compute(end);
    blocked.compute(end);
    expect(blocked.results).toEqual(single.results);
    expect(blocked.results[0].score).toBeGreaterThan(0);
    expect(blocked.snapshot()).toEqual(single.snapshot());
  });

  it('pushes the rows waiting before a restore, as records observed before it were', () => {
    const saved = drift();
    for (let i = 0; i < 200; i++) observe(saved, i);
    const state = JSON.parse(JSON.stringify(saved.snapshot())) as unknown;
    const single = drift();
    const blocked = drift();
    for (let i = 200; i < 260; i++) {
      observe(single, i);
      single.flush();
      observe(blocked, i);
    }
    single.restore(state);
    blocked.restore(state);
    for (let i = 260; i < 300; i++) {
      observe(single, i);
      single.flush();
      observe(blocked, i);
    }
    const now = stream[299].t;
    single.compute(now);
    blocked.compute(now);
    expect(blocked.results).toEqual(single.results);
    expect(blocked.snapshot()).toEqual(single.snapshot());
  });
});
