/**
 * `threshold: auto`: the calibration procedure (threshold-calibration.ts), its per-bucket cache
 * (auto-thresholds.ts) and the scorer's use of them. The calibration property itself — a window
 * drawn like the reference is called drifted with probability ≈ α — is checked on real data at a
 * small scale (seattle-weather rows shuffled into reference and window); bench/calibration.ts
 * measures it at full scale.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AutoThresholds, bucketCentre, sizeBucket } from '../../src/stats/auto-thresholds.js';
import { DriftScorer } from '../../src/stats/drift-scorer.js';
import { countNumeric } from '../../src/stats/binning.js';
import { quantileEdges } from '../../src/stats/quantile-edges.js';
import { mulberry32 } from '../../src/stats/random.js';
import { sortedFloat64 } from '../../src/stats/sort.js';
import { calibrateThresholds, categoricalPopulation, quantileRank, type CalibrationPopulation } from '../../src/stats/threshold-calibration.js';

const SEATTLE = join(import.meta.dirname, '..', '..', 'node_modules', 'vega-datasets', 'data', 'seattle-weather.csv');

function seattleColumn(name: string): number[] {
  const [header, ...lines] = readFileSync(SEATTLE, 'utf8').trim().split('\n');
  const index = header.split(',').indexOf(name);
  return lines.map((line) => Number(line.split(',')[index]));
}

const numericScorer = (population: () => CalibrationPopulation | undefined, draws = 400) =>
  new DriftScorer('numeric', { primary: 'psi', thresholds: { psi: 'auto', hellinger: 'auto', wasserstein: 'auto', ks: 'auto' }, falseAlarmRate: 0.05, calibration: population, calibrationDraws: draws });

describe('calibration draws', () => {
  it('takes the rank a Monte Carlo test takes', () => {
    expect(quantileRank(999, 0.05)).toBe(949);
    expect(quantileRank(2000, 0.01)).toBe(1980);
    expect(quantileRank(10, 0.001)).toBe(9);
  });

  it('is deterministic for a seed and moves with it', () => {
    const values = sortedFloat64(seattleColumn('temp_max').slice(0, 300));
    const population: CalibrationPopulation = { type: 'numeric', values, bins: 10, referenceSize: values.length };
    const scorer = numericScorer(() => population);
    const a = scorer.calibrate(100, [0.05], 3)!.calibration.thresholds;
    const b = scorer.calibrate(100, [0.05], 3)!.calibration.thresholds;
    const c = scorer.calibrate(100, [0.05], 4)!.calibration.thresholds;
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('draws windows of the live size up to the cap, and rescales past it by the noise law', () => {
    const values = sortedFloat64(seattleColumn('temp_max'));
    const population: CalibrationPopulation = { type: 'numeric', values, bins: 10, referenceSize: values.length };
    const evaluate = () => Float64Array.of(1);
    const small = calibrateThresholds(population, 300, evaluate, { alphas: [0.05], exponents: [1], draws: 10 })!;
    expect([small.referenceRows, small.windowRows]).toEqual([1461, 300]);
    expect(small.thresholds[0][0]).toBe(1);
    const capped = calibrateThresholds(population, 10_000, evaluate, { alphas: [0.05], exponents: [1, 0.5], draws: 10, maxRows: 1000 })!;
    expect([capped.referenceRows, capped.windowRows]).toEqual([1000, 1000]);
    const ratio = (1 / 1461 + 1 / 10_000) / (1 / 1000 + 1 / 1000);
    expect(capped.thresholds[0][0]).toBeCloseTo(ratio, 12);
  });

  it('counts a category the stand-in reference lacks in __other__ when the stand-in holds __other__ rows (a capped profile), as the binner does', () => {
    // Bins: 0 common, 1 rare (3 of 63 rows), 4 = __other__ (10 rows).
    const population = categoricalPopulation([50, 3, 0, 0, 10], 4)!;
    expect(population.type === 'categorical' && population.codes.length).toBe(63);
    let lacked = 0;
    calibrateThresholds(population, 400, (draw) => {
      if (draw.refCounts[4] > 0 && draw.refCounts[1] === 0) {
        lacked++;
        expect(draw.curCounts[1]).toBe(0);
      }
      if (draw.refCounts[1] > 0) expect(draw.refCounts[1] + draw.curCounts[1]).toBeGreaterThan(0);
      return Float64Array.of(0);
    }, { alphas: [0.05], exponents: [1], draws: 200 });
    // P(a 63-row stand-in lacks bin 1) = (60/63)^63 ≈ 5 %: some of 200 draws do.
    expect(lacked).toBeGreaterThan(0);
  });

  it('scales a categorical reference down in proportion past the row cap', () => {
    const population = categoricalPopulation([600_000, 300_000, 100_000], undefined, 1000)!;
    expect(population.type).toBe('categorical');
    if (population.type !== 'categorical') return;
    const counts = [0, 0, 0];
    for (const c of population.codes) counts[c]++;
    expect(counts).toEqual([600, 300, 100]);
    expect(population.referenceSize).toBe(1_000_000);
  });
});

describe('auto thresholds per window-size bucket', () => {
  it('calibrates once per quarter-octave bucket and moves the threshold to the exact size', () => {
    expect(sizeBucket(1000)).toBe(40);
    expect(bucketCentre(40)).toBe(1024);
    const values = sortedFloat64(seattleColumn('wind').slice(0, 500));
    const population: CalibrationPopulation = { type: 'numeric', values, bins: 10, referenceSize: 500 };
    const auto = new AutoThresholds(() => population, () => Float64Array.of(0.3), { alpha: 0.05, exponents: [1], draws: 20 });
    const at1024 = auto.at(1024)[0];
    expect(at1024).toBe(0.3);
    const at980 = auto.at(980)[0];
    expect(auto.calibrations).toBe(1);
    expect(at980).toBeCloseTo(0.3 * (1 / 500 + 1 / 980) / (1 / 500 + 1 / 1024), 12);
    auto.at(2000);
    auto.at(1100);
    expect(auto.calibrations).toBe(2);
  });

  it('past the tick\'s budget reads the nearest calibrated bucket, or NaN before the first', () => {
    const values = sortedFloat64(seattleColumn('wind').slice(0, 500));
    const population: CalibrationPopulation = { type: 'numeric', values, bins: 10, referenceSize: 500 };
    const auto = new AutoThresholds(() => population, () => Float64Array.of(0.3), { alpha: 0.05, exponents: [1], draws: 20 });
    const no = () => false;
    expect(Number.isNaN(auto.at(300, no)[0])).toBe(true);
    auto.at(1024);
    expect(auto.at(300, no)[0]).toBeCloseTo(0.3 * (1 / 500 + 1 / 300) / (1 / 500 + 1 / 1024), 12);
    expect(auto.calibrations).toBe(1);
  });
});

describe('the scorer with auto thresholds', () => {
  it('reads α for an auto p-value method and keeps the default for a distance without a reference', () => {
    const scorer = new DriftScorer('numeric', { primary: 'psi', thresholds: { ks: 'auto', psi: 'auto', wasserstein: 0.3 }, falseAlarmRate: 0.02 });
    const comparison = { bins: 10, refTotal: 500, curTotal: 100 };
    expect(scorer.threshold('ks', comparison)).toBe(0.02);
    expect(scorer.threshold('psi', comparison)).toBe(0.2);
    expect(scorer.threshold('wasserstein', comparison)).toBe(0.3);
    expect(scorer.isAuto('psi')).toBe(true);
    expect(scorer.isAuto('wasserstein')).toBe(false);
  });

  it('holds the false-alarm rate on real data: seattle-weather temp_max and wind, 200-row references, 100-row windows', () => {
    // Rows shuffled into a 200-row reference and a 100-row window, 150 times per column; α = 0.05.
    const alarms = new Map<string, number>();
    let windows = 0;
    for (const column of ['temp_max', 'wind']) {
      const all = seattleColumn(column);
      const rand = mulberry32(column.length);
      for (let trial = 0; trial < 150; trial++) {
        const order = Array.from(all.keys());
        for (let i = 0; i < 300; i++) {
          const j = i + Math.floor(rand() * (order.length - i));
          [order[i], order[j]] = [order[j], order[i]];
        }
        const ref = sortedFloat64(order.slice(0, 200).map((i) => all[i]));
        const cur = sortedFloat64(order.slice(200, 300).map((i) => all[i]));
        const edges = quantileEdges(ref, 10);
        const population: CalibrationPopulation = { type: 'numeric', values: ref, bins: 10, referenceSize: 200 };
        const score = numericScorer(() => population, 400).score({ refCounts: countNumeric(edges, ref), curCounts: countNumeric(edges, cur), refTotal: 200, curTotal: 100, refSorted: ref, curSorted: () => cur });
        windows++;
        for (const m of score.methods) if (m.drifted) alarms.set(m.method.name, (alarms.get(m.method.name) ?? 0) + 1);
      }
    }
    for (const method of ['psi', 'hellinger', 'wasserstein']) {
      const rate = (alarms.get(method) ?? 0) / windows;
      expect(rate, `${method}: ${rate}`).toBeGreaterThanOrEqual(0.025);
      expect(rate, `${method}: ${rate}`).toBeLessThanOrEqual(0.1);
    }
    // The default fixed thresholds at these sizes are no false-alarm rate at all.
    const fixed = new DriftScorer('numeric', { primary: 'psi' }).threshold('hellinger');
    expect(fixed).toBe(0.1);
  }, 30_000);
});
