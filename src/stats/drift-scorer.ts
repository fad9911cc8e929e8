/**
 * The one place a drift verdict is made, for the streaming windows and the batch report alike: which
 * methods apply to the feature's type, what each one is fed (bin proportions, bin counts or sorted
 * samples), each method's threshold (configured, else its default), and the primary method's verdict
 * read in that method's direction (`drifted()` in methods/method.ts).
 *
 * Categorical bins are restricted to the categories seen on either side (the union), so a slot that
 * is empty on both sides never enters a statistic or its degrees of freedom, and, with a category
 * fold, the categories rare in the pooled counts share one bin (category-fold.ts); numeric bins are
 * all kept (the reference quantile edges define them).
 *
 * A threshold is a number or `auto`. An `auto` threshold is calibrated to the false-alarm rate α
 * from the reference at the window's size (auto-thresholds.ts), by running this scorer's own
 * computation on draws from the reference: a distance's is the (1 − α) quantile of its null values,
 * a p-value method's the α quantile of its null p-values (on tied data a KS p-value is conservative,
 * so plain α would alarm less often than α). Without a reference to draw from, a distance keeps its
 * default threshold and a p-value method reads α.
 */
import { AutoThresholds } from './auto-thresholds.js';
import { calibratedThreshold, calibrationExponent, calibrationValue, type Comparison } from './calibration-scale.js';
import { foldCategories, type CategoryFold } from './category-fold.js';
import { toProportions } from './proportions.js';
import { walkSorted, type SampleWalk } from './methods/sample-walk.js';
import { calibrateThresholds, type Calibration, type CalibrationDraw, type CalibrationPopulation } from './threshold-calibration.js';
import { DEFAULT_DRIFT_METHOD_NAMES, DRIFT_METHODS, drifted, type DriftMethodName, type DriftResult, type FeatureType, type MethodDescriptor } from './methods/index.js';

export interface ScorerSettings {
  /** Methods to run (those applicable to the type); undefined = every applicable default method. */
  methods?: readonly DriftMethodName[];
  /** The method whose verdict is the feature's. */
  primary: DriftMethodName;
  thresholds?: Partial<Record<DriftMethodName, ThresholdSetting>>;
  /** α for `auto` thresholds (default 0.01). */
  falseAlarmRate?: number;
  /** The reference as calibration draws it, built when first needed; `auto` distances need it. */
  calibration?: () => CalibrationPopulation | undefined;
  /** Draws per calibration (default 2000). */
  calibrationDraws?: number;
  /** Whether a new window-size bucket may be calibrated now (the drift tick's time budget); default always. */
  mayCalibrate?: () => boolean;
  /**
   * Categorical: fold categories rare in the pooled counts into one bin (category-fold.ts), for
   * every method and for calibration draws alike; without it, every category seen on either side
   * keeps its bin.
   */
  categoryFold?: CategoryFold;
}

/** A fixed threshold, or `auto`: calibrated to the false-alarm rate. */
export type ThresholdSetting = number | 'auto';

export const DEFAULT_FALSE_ALARM_RATE = 0.01;

/** One side-by-side comparison: bin counts of both sides, and (numeric) the raw samples, sorted. */
export interface ScorerInput {
  refCounts: Float64Array;
  curCounts: Float64Array;
  refTotal: number;
  curTotal: number;
  /** Ascending reference sample (numeric features); sample methods are skipped without it. */
  refSorted?: Float64Array;
  /** Ascending current sample, asked for only when a sample method runs (it may sort on demand). */
  curSorted?: () => Float64Array;
  /** populationStd(refSorted), when the caller keeps it for a reference fixed for the run (Wasserstein's scale). */
  refStd?: number;
}

export interface MethodScore {
  method: MethodDescriptor;
  /** undefined when the method cannot say (an empty side); the value may be non-finite. */
  result: DriftResult | undefined;
  threshold: number;
  drifted: boolean;
}

export interface DriftScore {
  methods: MethodScore[];
  /** Bins compared (after the category fold). */
  bins: number;
  /** The primary method's verdict; undefined when it did not run or gave no finite result. */
  drifted: boolean | undefined;
}

/** `preferred` when it applies to the type and is selected, else the first method that runs. */
export function choosePrimary(type: FeatureType, preferred: DriftMethodName, methods?: readonly DriftMethodName[]): DriftMethodName {
  const selected = methods ?? DEFAULT_DRIFT_METHOD_NAMES;
  const runs = (m: MethodDescriptor) => m.types.includes(type) && selected.includes(m.name);
  if (DRIFT_METHODS.some((m) => m.name === preferred && runs(m))) return preferred;
  return DRIFT_METHODS.find(runs)?.name ?? preferred;
}

export class DriftScorer {
  readonly descriptors: readonly MethodDescriptor[];
  /** The methods with `auto` thresholds, in the order the calibration returns them. */
  private readonly calibrated: readonly MethodDescriptor[];
  private readonly auto: AutoThresholds | undefined;

  constructor(
    readonly type: FeatureType,
    private readonly settings: ScorerSettings,
  ) {
    const selected = settings.methods ?? DEFAULT_DRIFT_METHOD_NAMES;
    this.descriptors = DRIFT_METHODS.filter((m) => m.types.includes(type) && selected.includes(m.name));
    this.calibrated = settings.calibration ? this.descriptors.filter((m) => this.isAuto(m.name)) : [];
    this.auto =
      this.calibrated.length > 0 && settings.calibration
        ? new AutoThresholds(settings.calibration, (draw) => this.evaluateCalibrated(draw), {
            alpha: this.falseAlarmRate,
            exponents: this.calibrated.map(calibrationExponent),
            draws: settings.calibrationDraws,
          })
        : undefined;
  }

  get falseAlarmRate(): number {
    return this.settings.falseAlarmRate ?? DEFAULT_FALSE_ALARM_RATE;
  }

  isAuto(method: DriftMethodName): boolean {
    return this.settings.thresholds?.[method] === 'auto';
  }

  /** Calibrations run so far (one per window-size bucket). */
  get calibrations(): number {
    return this.auto?.calibrations ?? 0;
  }

  /**
   * The threshold in force: configured, else the default; an `auto` method its calibrated value for
   * the comparison (the window's size, the reference's, the bins compared); without a comparison or
   * a reference to calibrate from, a distance keeps its default and a p-value method reads α.
   */
  threshold(method: DriftMethodName, comparison?: Comparison): number {
    const setting = this.settings.thresholds?.[method];
    const descriptor = DRIFT_METHODS.find((m) => m.name === method);
    if (typeof setting === 'number') return setting;
    if (setting === 'auto') {
      const j = this.calibrated.findIndex((m) => m.name === method);
      if (j >= 0 && comparison !== undefined && comparison.curTotal > 0) {
        const calibrated = this.auto!.at(comparison.curTotal, this.settings.mayCalibrate)[j];
        if (Number.isFinite(calibrated)) return calibratedThreshold(this.calibrated[j], calibrated, comparison);
      }
      if (descriptor?.direction === 'p_value') return this.falseAlarmRate;
    }
    return descriptor?.defaultThreshold ?? 0;
  }

  /**
   * The calibration of the `auto` methods at one window size for several α at once, outside the
   * cache (the calibration bench and tests read it; calibratedThreshold() turns its values into a
   * comparison's thresholds); undefined without a reference to draw from.
   */
  calibrate(windowSize: number, alphas: readonly number[], seed = 1): { methods: readonly MethodDescriptor[]; calibration: Calibration } | undefined {
    const population = this.settings.calibration?.();
    if (!population || this.calibrated.length === 0) return undefined;
    const calibration = calibrateThresholds(population, windowSize, (draw) => this.evaluateCalibrated(draw), {
      alphas,
      exponents: this.calibrated.map(calibrationExponent),
      draws: this.settings.calibrationDraws,
      seed,
    });
    return calibration && { methods: this.calibrated, calibration };
  }

  score(input: ScorerInput): DriftScore {
    const { rc, cc } = this.comparedBins(input.refCounts, input.curCounts);
    const { refTotal, curTotal } = input;
    const empty = refTotal === 0 || curTotal === 0;
    const inputs = new MethodInputs(rc, cc, refTotal, curTotal, input.refSorted, input.curSorted, input.refStd);
    const comparison = { bins: rc.length, refTotal, curTotal };
    const methods = this.descriptors.map((method): MethodScore => {
      const result = empty ? undefined : inputs.run(method);
      const threshold = this.threshold(method.name, comparison);
      return { method, result, threshold, drifted: drifted(result, method, threshold) };
    });
    const primary = methods.find((m) => m.method.name === this.settings.primary);
    const verdict = primary?.result !== undefined && Number.isFinite(primary.result.value) ? primary.drifted : undefined;
    return { methods, bins: rc.length, drifted: verdict };
  }

  /** The calibrated methods' values on one calibration draw: the same computation as score(). */
  private evaluateCalibrated(draw: CalibrationDraw): Float64Array {
    const { rc, cc } = this.comparedBins(draw.refCounts, draw.curCounts);
    const curSorted = draw.curSorted;
    const inputs = new MethodInputs(rc, cc, draw.refTotal, draw.curTotal, draw.refSorted, curSorted && (() => curSorted));
    const comparison = { bins: rc.length, refTotal: draw.refTotal, curTotal: draw.curTotal };
    return Float64Array.from(this.calibrated, (m) => calibrationValue(m, m.pValueAt ? inputs.statistic(m) : inputs.run(m), comparison));
  }

  /** The bins the methods compare: every numeric bin; the categories seen on either side, folded when configured. */
  comparedBins(refCounts: Float64Array, curCounts: Float64Array): { rc: Float64Array; cc: Float64Array } {
    if (this.type === 'numeric') return { rc: refCounts, cc: curCounts };
    if (this.settings.categoryFold) return foldCategories(refCounts, curCounts, this.settings.categoryFold);
    const active: number[] = [];
    for (let i = 0; i < refCounts.length; i++) if (refCounts[i] > 0 || curCounts[i] > 0) active.push(i);
    if (active.length === refCounts.length) return { rc: refCounts, cc: curCounts };
    return { rc: Float64Array.from(active, (i) => refCounts[i]), cc: Float64Array.from(active, (i) => curCounts[i]) };
  }
}

/** What the methods of one comparison take, each derived once and only when a method asks. */
class MethodInputs {
  private rp: Float64Array | undefined;
  private cp: Float64Array | undefined;
  private sorted: Float64Array | undefined;
  /** The two samples' merge walk, shared by KS and Wasserstein (methods/sample-walk.ts). */
  private walk: SampleWalk | undefined;

  constructor(
    private readonly rc: Float64Array,
    private readonly cc: Float64Array,
    private readonly refTotal: number,
    private readonly curTotal: number,
    private readonly refSorted: Float64Array | undefined,
    private readonly curSorted: (() => Float64Array) | undefined,
    private readonly refStd?: number,
  ) {}

  run(method: MethodDescriptor): DriftResult | undefined {
    if (method.kind === 'proportions') return method.compute((this.rp ??= toProportions(this.rc, this.refTotal)), (this.cp ??= toProportions(this.cc, this.curTotal)));
    if (method.kind === 'counts') return method.compute(this.rc, this.cc, this.refTotal, this.curTotal);
    if (!this.refSorted || !this.curSorted) return undefined;
    const ref = this.refSorted;
    const cur = (this.sorted ??= this.curSorted());
    // Walked once for every sample method (the methods return nothing for an empty side).
    const walk = ref.length > 0 && cur.length > 0 ? (this.walk ??= walkSorted(ref, cur)) : undefined;
    return method.compute(ref, cur, { currentSorted: true, walk, referenceStd: this.refStd });
  }

  /** The statistic alone (value; no p-value) where the method can give it so, else run(). */
  statistic(method: MethodDescriptor): DriftResult | undefined {
    if (method.kind !== 'samples' || !method.statistic) return this.run(method);
    if (!this.refSorted || !this.curSorted || this.refSorted.length === 0) return undefined;
    const cur = (this.sorted ??= this.curSorted());
    return cur.length === 0 ? undefined : { value: method.statistic(this.refSorted, cur) };
  }
}
