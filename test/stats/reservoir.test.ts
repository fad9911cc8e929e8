/**
 * Algorithm L keeps a uniform sample without replacement: checked against that definition (every
 * k-subset of the values seen equally likely, at every count), never against a stream it drew.
 */
import { describe, expect, it } from 'vitest';
import { chiSquaredSf } from '../../src/stats/gamma.js';
import { Mulberry32 } from '../../src/stats/random.js';
import { reschedule, resetReservoir, take, type Reservoir } from '../../src/stats/reservoir.js';
import { TimeWindow } from '../../src/windows/time-window.js';

function reservoir(k: number): Reservoir {
  const r: Reservoir = { values: new Float64Array(k), kept: 0, seen: 0, next: 1, weight: 0 };
  resetReservoir(r);
  return r;
}

/** Offers the values 0 … n − 1 (continuing from r.seen) as a window's push does. */
function offer(r: Reservoir, from: number, to: number, random: Mulberry32): void {
  for (let v = from; v < to; v++) if (++r.seen === r.next) take(r, v, random);
}

const subsetKey = (r: Reservoir) => Array.from(r.values.subarray(0, r.kept)).sort((a, b) => a - b).join(',');

/** Pearson's chi-square p-value of observed counts against equal expected counts over `cells` cells. */
function uniformityP(counts: Map<string, number>, cells: number, runs: number): number {
  const expected = runs / cells;
  let x2 = 0;
  for (const c of counts.values()) x2 += (c - expected) ** 2 / expected;
  x2 += (cells - counts.size) * expected; // cells never seen
  return chiSquaredSf(x2, cells - 1);
}

describe('reservoir sampling (Algorithm L)', () => {
  it('holds exactly the values seen while there are at most k of them', () => {
    const r = reservoir(5);
    const random = new Mulberry32(1);
    offer(r, 0, 3, random);
    expect(Array.from(r.values.subarray(0, r.kept))).toEqual([0, 1, 2]);
    offer(r, 3, 5, random);
    expect(Array.from(r.values)).toEqual([0, 1, 2, 3, 4]);
    expect(r.seen).toBe(5);
    expect(r.next).toBeGreaterThan(5);
  });

  it('makes every 3-subset of 9 values equally likely (chi-square over 84 subsets, 25,200 seeds)', () => {
    const runs = 25_200;
    const counts = new Map<string, number>();
    for (let seed = 0; seed < runs; seed++) {
      const r = reservoir(3);
      offer(r, 0, 9, new Mulberry32(seed * 2654435761));
      const key = subsetKey(r);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(84);
    expect(uniformityP(counts, 84, runs)).toBeGreaterThan(1e-3);
  });

  it('includes every value of a long stream with probability k/n, early and late alike', () => {
    // 400 values in 10 blocks of 40, k = 8: each block holds 0.8 of the sample on average.
    const [n, k, runs, blocks] = [400, 8, 4000, 10];
    const perBlock = new Array<number>(blocks).fill(0);
    for (let seed = 0; seed < runs; seed++) {
      const r = reservoir(k);
      offer(r, 0, n, new Mulberry32(seed + 17));
      for (const v of r.values) perBlock[Math.floor(v / (n / blocks))]++;
    }
    const expected = (runs * k) / blocks;
    // Blocks of a sample without replacement vary less than multinomial counts: the test is conservative.
    const x2 = perBlock.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    expect(chiSquaredSf(x2, blocks - 1), perBlock.join(' ')).toBeGreaterThan(1e-3);
  });

  it('a schedule re-derived mid-stream (a state saved without one) keeps the subsets uniform', () => {
    const runs = 25_200;
    const counts = new Map<string, number>();
    for (let seed = 0; seed < runs; seed++) {
      const random = new Mulberry32(seed * 40503 + 5);
      const r = reservoir(3);
      offer(r, 0, 5, random);
      r.next = Number.NaN;
      r.weight = Number.NaN;
      reschedule(r, random);
      expect(r.next).toBeGreaterThan(5);
      offer(r, 5, 9, random);
      const key = subsetKey(r);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(uniformityP(counts, 84, runs)).toBeGreaterThan(1e-3);
  });

  it('draws O(k log(n/k)) random numbers, not one per value', () => {
    let draws = 0;
    const random = new Mulberry32(3);
    const next = random.next.bind(random);
    const below = random.below.bind(random);
    random.next = () => (draws++, next());
    random.below = (m: number) => (draws++, below(m));
    const r = reservoir(100);
    offer(r, 0, 1_000_000, random);
    // Expected takes past the fill: k·ln(n/k) ≈ 921, three draws each.
    expect(draws).toBeLessThan(4000);
    expect(r.kept).toBe(100);
  });

  it("the time window's own push (its reservoir steps written inline) keeps each sub-bucket a uniform 3-subset of its 9 values", () => {
    // One sub-bucket of 1 s holding 3 values: each second is a fresh reservoir on the window's one
    // random stream, so 25,200 seconds are 25,200 trials of the path live records take.
    const w = new TimeWindow(1, 1, 3, 1);
    const runs = 25_200;
    const counts = new Map<string, number>();
    for (let s = 0; s < runs; s++) {
      for (let v = 0; v < 9; v++) w.push(s + v / 10, v, 0);
      const key = Array.from(w.values()).sort((a, b) => a - b).join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(84);
    expect(uniformityP(counts, 84, runs)).toBeGreaterThan(1e-3);
  });
});
