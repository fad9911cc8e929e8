/**
 * One reference as the sidecar holds it (profile → binner → scorer), for the calibration bench:
 * scores windows with the default fixed thresholds and calibrates `auto` thresholds for several α,
 * all through the production code (reference-profile, feature-binner, drift-scorer).
 */
import { calibratedThreshold, type Comparison } from '../../src/stats/calibration-scale.js';
import { DriftScorer, type MethodScore } from '../../src/stats/drift-scorer.js';
import { DEFAULT_DRIFT_METHOD_NAMES, drifted, type DriftMethodName, type MethodDescriptor } from '../../src/stats/methods/index.js';
import { sortedFloat64 } from '../../src/stats/sort.js';
import { categoricalPopulation, type Calibration, type CalibrationPopulation } from '../../src/stats/threshold-calibration.js';
import { FeatureBinner } from '../../src/windows/feature-binner.js';
import { profileColumn, type RawValue } from '../../src/windows/reference-profile.js';
import { MISSING_BIN } from '../../src/windows/window.js';

export const BINS = 10;
export const MAX_CATEGORIES = 50;
export const MIN_CATEGORY_COUNT = 5;

const ALL_AUTO = Object.fromEntries(DEFAULT_DRIFT_METHOD_NAMES.map((m) => [m, 'auto' as const])) as Partial<Record<DriftMethodName, 'auto'>>;

export class Comparator {
  readonly binner: FeatureBinner;
  private readonly refSorted: Float64Array;
  private readonly fixed: DriftScorer;
  private readonly auto: DriftScorer;

  constructor(
    reference: readonly RawValue[],
    readonly type: 'numeric' | 'categorical',
  ) {
    const profile = profileColumn(reference, type, { bins: BINS, maxCategories: MAX_CATEGORIES, maxSample: 100_000 });
    this.binner = new FeatureBinner(profile, MAX_CATEGORIES);
    this.refSorted = profile.type === 'numeric' ? Float64Array.from(profile.sample) : new Float64Array(0);
    const population: CalibrationPopulation | undefined =
      profile.type === 'numeric' ? { type: 'numeric', values: this.refSorted, bins: BINS, referenceSize: this.binner.refTotal } : categoricalPopulation(this.binner.refCounts, this.binner.otherBin);
    const categoryFold = type === 'categorical' ? { minExpectedCount: MIN_CATEGORY_COUNT, otherBin: this.binner.otherBin } : undefined;
    this.fixed = new DriftScorer(type, { primary: 'psi', categoryFold });
    this.auto = new DriftScorer(type, { primary: 'psi', thresholds: ALL_AUTO, calibration: () => population, categoryFold });
  }

  /** Every default method on one window, with the default fixed thresholds, and what `auto` thresholds depend on. */
  score(window: readonly RawValue[]): { methods: MethodScore[]; comparison: Comparison } {
    const counts = new Float64Array(this.binner.nBins);
    const values: number[] = [];
    let total = 0;
    for (const raw of window) {
      const bin = this.binner.bin(raw);
      if (bin === MISSING_BIN) continue;
      counts[bin]++;
      total++;
      if (this.type === 'numeric') values.push(this.binner.numeric(raw));
    }
    const score = this.fixed.score({
      refCounts: this.binner.refCounts,
      curCounts: counts,
      refTotal: this.binner.refTotal,
      curTotal: total,
      refSorted: this.type === 'numeric' ? this.refSorted : undefined,
      curSorted: () => sortedFloat64(values),
    });
    return { methods: score.methods, comparison: { bins: score.bins, refTotal: this.binner.refTotal, curTotal: total } };
  }

  /** `auto` thresholds of the distance methods at a window size, for each α. */
  calibrate(windowSize: number, alphas: readonly number[], seed: number): { methods: readonly MethodDescriptor[]; calibration: Calibration } | undefined {
    return this.auto.calibrate(windowSize, alphas, seed);
  }

  /** The `auto` verdict at calibrated α index a (undefined for a method without a calibration). */
  autoDrifted(score: MethodScore, comparison: Comparison, calibrated: ReturnType<Comparator['calibrate']>, a: number): boolean | undefined {
    const j = calibrated?.methods.findIndex((m) => m.name === score.method.name) ?? -1;
    if (j < 0) return undefined;
    return drifted(score.result, score.method, calibratedThreshold(score.method, calibrated!.calibration.thresholds[j][a], comparison));
  }
}
