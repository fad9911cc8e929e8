/**
 * One feature's drift state: its binner, one rolling window per configured window, cumulative bin
 * counts (for the fleet-mergeable `modelwatch_feature_bin_total`), and the results of the last tick.
 */
import { kindAt, NUMBER, STRING, valueAt, type FeatureColumns } from '../core/feature-columns.js';
import { DriftScorer, type ThresholdSetting } from '../stats/drift-scorer.js';
import type { DriftMethodName, DriftResult } from '../stats/methods/index.js';
import { populationStd } from '../stats/methods/wasserstein.js';
import { categoricalPopulation, type CalibrationPopulation } from '../stats/threshold-calibration.js';
import { CountWindow } from './count-window.js';
import type { FeatureBinner } from './feature-binner.js';
import type { RawValue } from './reference-profile.js';
import { TimeWindow } from './time-window.js';
import { scratchValues } from './value-scratch.js';
import { TIME, VALUE, windowInput } from './window-input.js';
import { MISSING_BIN, type RollingWindow } from './window.js';

/** observeStaged's bins, one array for every feature (a flush runs to its end before the next). */
let stagedBins = new Int32Array(256);

export interface WindowSpec {
  label: string;
  seconds?: number;
  count?: number;
}

export interface MethodSettings {
  methods: readonly DriftMethodName[];
  primary: DriftMethodName;
  thresholds: Partial<Record<DriftMethodName, ThresholdSetting>>;
  minSamples: number;
  maxWindowValues: number;
  /** α for `auto` thresholds (default 0.01). */
  falseAlarmRate?: number;
  /** Quantile bins the reference was binned with (numeric `auto` calibration re-bins the same way). */
  bins?: number;
  /** Draws per `auto` calibration (default 2000). */
  calibrationDraws?: number;
  /** Whether an `auto` calibration may start now (the tick's time budget); default always. */
  mayCalibrate?: () => boolean;
  /** Categorical: least expected count on the smaller side for a category's own bin (../stats/category-fold.ts). */
  minCategoryCount?: number;
}

export interface WindowResult {
  samples: number;
  missing: number;
  /** Present once the window holds at least min_samples observations. */
  methods?: Map<DriftMethodName, DriftResult>;
  /** The thresholds `auto` methods used at this window's size. */
  thresholds?: Map<DriftMethodName, number>;
  drifted?: boolean;
}

export class FeatureDrift {
  readonly windows: RollingWindow[];
  private readonly countWindows: CountWindow[];
  private readonly timeWindows: TimeWindow[];
  /** Observations per bin since start (never windowed): the fleet-mergeable counter. */
  readonly binTotals: Float64Array;
  /** observeStaged's run counted per bin (all 0 between runs). */
  private readonly runCounts: Int32Array;
  results: WindowResult[];
  /** Per window: its version when results[i] was computed. */
  private readonly computedVersion: number[];
  private readonly scorer: DriftScorer;
  private refStd: number | undefined;

  constructor(
    readonly binner: FeatureBinner,
    private readonly refSorted: Float64Array,
    readonly specs: readonly WindowSpec[],
    private readonly settings: MethodSettings,
    /** observe()'s [time, value] as its windows read it (window-input.ts); staged runs do not use it. */
    private readonly input: Float64Array = windowInput(),
  ) {
    this.windows = specs.map((s) =>
      s.count !== undefined
        ? new CountWindow(s.count, binner.nBins, binner.type === 'numeric' ? 'own' : 'none', input)
        : new TimeWindow(s.seconds ?? 300, binner.nBins, settings.maxWindowValues, undefined, input),
    );
    // Split by class so each push call site sees one shape and V8 can inline it.
    this.countWindows = this.windows.filter((w): w is CountWindow => w instanceof CountWindow);
    this.timeWindows = this.windows.filter((w): w is TimeWindow => w instanceof TimeWindow);
    this.binTotals = new Float64Array(binner.nBins);
    this.runCounts = new Int32Array(binner.nBins);
    this.results = specs.map(() => ({ samples: 0, missing: 0 }));
    this.computedVersion = specs.map(() => -1);
    this.scorer = new DriftScorer(binner.type, {
      methods: settings.methods,
      primary: settings.primary,
      thresholds: settings.thresholds,
      falseAlarmRate: settings.falseAlarmRate,
      calibration: () => this.calibrationPopulation(),
      calibrationDraws: settings.calibrationDraws,
      mayCalibrate: settings.mayCalibrate,
      categoryFold: binner.type === 'categorical' && settings.minCategoryCount !== undefined ? { minExpectedCount: settings.minCategoryCount, otherBin: binner.otherBin } : undefined,
    });
  }

  /** The reference as `auto` calibration draws from it: the sorted sample, or the category counts. */
  private calibrationPopulation(): CalibrationPopulation | undefined {
    const { binner } = this;
    if (binner.refTotal === 0) return undefined;
    if (binner.type === 'numeric') {
      if (this.refSorted.length === 0) return undefined;
      return { type: 'numeric', values: this.refSorted, bins: this.settings.bins ?? binner.nBins, referenceSize: binner.refTotal };
    }
    // Stand-in draws are folded by the scorer's category fold, as live comparisons are.
    return categoricalPopulation(binner.refCounts, binner.otherBin);
  }

  observe(t: number, raw: RawValue): void {
    const binner = this.binner;
    const input = this.input;
    input[TIME] = t;
    input[VALUE] = 0;
    let bin: number;
    if (binner.numericType) {
      // One conversion for both the bin and the raw value (bin() would convert again).
      const x = binner.numeric(raw);
      bin = binner.binOfNumber(x);
      if (bin !== MISSING_BIN) input[VALUE] = x;
    } else {
      bin = binner.bin(raw);
    }
    if (bin !== MISSING_BIN) this.binTotals[bin]++;
    this.pushInput(bin);
  }

  /**
   * A lent record's value at position p (−1: missing), kept in `out[k]` until observeStaged: a
   * numeric feature's number as observe() reads it (NaN: missing), a categorical feature's bin.
   * Nothing goes into a window here: the windows take a batch of records feature by feature
   * (docs/performance.md, drift's batches). The number is stored, never returned: a double returned
   * from a call V8 does not inline is boxed (a 16-byte heap number), and this runs 20 times a record.
   */
  stageColumn(c: FeatureColumns, p: number, out: Float64Array, k: number): void {
    const binner = this.binner;
    const kind = kindAt(c, p);
    if (!binner.numericType) {
      out[k] = kind === STRING ? binner.binOfText(c.strings[p]) : binner.bin(valueAt(c, p));
      return;
    }
    // What numeric() gives for each kind, without boxing the number (a JSON number may still be
    // ±Infinity: 1e999). Two stores, not `finite ? x : NaN`: V8 boxes a choice between a double and a constant.
    out[k] = NaN;
    if (kind === NUMBER) {
      const x = c.numbers[p];
      if (x - x === 0) out[k] = x;
    } else if (kind === STRING) {
      const x = binner.numeric(c.strings[p]);
      if (x - x === 0) out[k] = x;
    }
  }

  /** stageColumn for a record's object row: the raw value as observe() reads it. */
  stage(raw: RawValue, out: Float64Array, k: number): void {
    const binner = this.binner;
    out[k] = binner.numericType ? binner.numeric(raw) : binner.bin(raw);
  }

  /**
   * The n staged observations (values[k] as stage/stageColumn left them, at times[k]) into every
   * window, a window at a time: the same contents as n observe() calls, since each window takes
   * its observations in the same order (a time window's reservoir draws from its own stream).
   * `values` is overwritten (the values as the windows take them).
   */
  observeStaged(times: Float64Array, values: Float64Array, n: number, range: Float64Array): void {
    if (stagedBins.length < n) stagedBins = new Int32Array(n);
    const bins = stagedBins;
    // The run's bins counted once, then added to the totals and to each window's counts bin by bin.
    const run = this.runCounts;
    this.binner.binStaged(values, n, bins, run);
    const totals = this.binTotals;
    let counted = 0;
    for (let i = 0; i < run.length; i++) {
      totals[i] += run[i];
      counted += run[i];
    }
    const missing = n - counted;
    const counts = this.countWindows;
    for (let i = 0; i < counts.length; i++) counts[i].pushCounted(values, bins, n, run, missing);
    const spans = this.timeWindows;
    for (let i = 0; i < spans.length; i++) spans[i].pushCounted(times, values, bins, n, range, run, missing);
    run.fill(0);
  }

  /** Into every window, the observation in the input register: no call passes a double (window-input.ts). */
  private pushInput(bin: number): void {
    const counts = this.countWindows;
    for (let i = 0; i < counts.length; i++) counts[i].pushInput(bin);
    const times = this.timeWindows;
    for (let i = 0; i < times.length; i++) times[i].pushInput(bin);
  }

  /**
   * Recomputes every window's verdict as of `now` (seconds). `sorted`, when given, is shown each
   * window's values that a sample method sorted (the tick's scratch: read them before returning).
   */
  compute(now: number, sorted?: (window: RollingWindow, index: number, values: Float64Array) => void): void {
    this.results = this.windows.map((w, i) => {
      w.advance(now);
      // Nothing entered or left the window since the last tick (an idle log, a window past its
      // sub-bucket's span): its verdict is what it was.
      if (w.version === this.computedVersion[i]) return this.results[i];
      this.computedVersion[i] = w.version;
      const samples = w.size();
      const missing = w.missing();
      if (samples < this.settings.minSamples || this.binner.refTotal === 0) return { samples, missing };
      const { refCounts, refTotal } = this.binner;
      const cur = w.counts().subarray(0, refCounts.length);
      let curTotal = 0;
      for (let i = 0; i < cur.length; i++) curTotal += cur[i];
      // Sorted once, and only when a sample method (KS, Wasserstein) runs: in the tick's scratch
      // (value-scratch.ts), which nothing else reads until score() returns.
      let values = undefined as Float64Array | undefined;
      const score = this.scorer.score({ refCounts, curCounts: cur, refTotal, curTotal, refSorted: this.refSorted, curSorted: () => (values = w.sortedValues(scratchValues)), refStd: this.referenceStd() });
      if (values !== undefined && sorted !== undefined) sorted(w, i, values);
      const methods = new Map<DriftMethodName, DriftResult>();
      for (const m of score.methods) if (m.result !== undefined && Number.isFinite(m.result.value)) methods.set(m.method.name, m.result);
      let thresholds: Map<DriftMethodName, number> | undefined;
      for (const m of score.methods) if (this.scorer.isAuto(m.method.name)) (thresholds ??= new Map()).set(m.method.name, m.threshold);
      return { samples, missing, methods, thresholds, drifted: score.drifted };
    });
  }

  /** The reference sample's population std (Wasserstein's scale), computed once: the reference does not change. */
  private referenceStd(): number {
    return (this.refStd ??= populationStd(this.refSorted));
  }

  /** The fixed threshold of a method (an `auto` one's is per window: results[i].thresholds). */
  threshold(method: DriftMethodName): number {
    return this.scorer.threshold(method);
  }

  isAuto(method: DriftMethodName): boolean {
    return this.scorer.isAuto(method);
  }

  /**
   * Windows and new-category slots, keyed by window label so a changed window list restores what
   * still matches. binTotals are not saved: counters carry over through the exposed values.
   */
  snapshot(): { categories: string[]; windows: Record<string, unknown> } {
    const windows: Record<string, unknown> = {};
    this.specs.forEach((spec, i) => (windows[spec.label] = this.windows[i].snapshot()));
    return { categories: this.binner.snapshot(), windows };
  }

  restore(state: unknown): void {
    const s = state as { categories?: unknown; windows?: Record<string, unknown> };
    this.binner.restore(s.categories);
    this.specs.forEach((spec, i) => {
      const saved = s.windows?.[spec.label];
      if (saved !== undefined) this.windows[i].restore(saved);
    });
  }
}
