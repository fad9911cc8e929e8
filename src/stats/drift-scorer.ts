/**
 * The one place a drift verdict is made, for the streaming windows and the batch report alike: which
 * methods apply to the feature's type, what each one is fed (bin proportions, bin counts or sorted
 * samples), each method's threshold (configured, else its default), and the primary method's verdict
 * read in that method's direction (`drifted()` in methods/method.ts).
 *
 * Categorical bins are restricted to the categories seen on either side (the union), so a slot that
 * is empty on both sides never enters a statistic or its degrees of freedom; numeric bins are all
 * kept (the reference quantile edges define them).
 */
import { toProportions } from './proportions.js';
import { DEFAULT_DRIFT_METHOD_NAMES, DRIFT_METHODS, drifted, type DriftMethodName, type DriftResult, type FeatureType, type MethodDescriptor } from './methods/index.js';

export interface ScorerSettings {
  /** Methods to run (those applicable to the type); undefined = every applicable default method. */
  methods?: readonly DriftMethodName[];
  /** The method whose verdict is the feature's. */
  primary: DriftMethodName;
  thresholds?: Partial<Record<DriftMethodName, number>>;
}

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

  constructor(
    readonly type: FeatureType,
    private readonly settings: ScorerSettings,
  ) {
    const selected = settings.methods ?? DEFAULT_DRIFT_METHOD_NAMES;
    this.descriptors = DRIFT_METHODS.filter((m) => m.types.includes(type) && selected.includes(m.name));
  }

  threshold(method: DriftMethodName): number {
    return this.settings.thresholds?.[method] ?? DRIFT_METHODS.find((m) => m.name === method)?.defaultThreshold ?? 0;
  }

  score(input: ScorerInput): DriftScore {
    const { rc, cc } = this.activeBins(input.refCounts, input.curCounts);
    const { refTotal, curTotal } = input;
    const empty = refTotal === 0 || curTotal === 0;
    let rp: Float64Array | undefined;
    let cp: Float64Array | undefined;
    let curSorted: Float64Array | undefined;
    const methods = this.descriptors.map((method): MethodScore => {
      let result: DriftResult | undefined;
      if (empty) result = undefined;
      else if (method.kind === 'proportions') result = method.compute((rp ??= toProportions(rc, refTotal)), (cp ??= toProportions(cc, curTotal)));
      else if (method.kind === 'counts') result = method.compute(rc, cc, refTotal, curTotal);
      else if (input.refSorted && input.curSorted) result = method.compute(input.refSorted, (curSorted ??= input.curSorted()), { currentSorted: true });
      const threshold = this.threshold(method.name);
      return { method, result, threshold, drifted: drifted(result, method, threshold) };
    });
    const primary = methods.find((m) => m.method.name === this.settings.primary);
    const verdict = primary?.result !== undefined && Number.isFinite(primary.result.value) ? primary.drifted : undefined;
    return { methods, drifted: verdict };
  }

  private activeBins(refCounts: Float64Array, curCounts: Float64Array): { rc: Float64Array; cc: Float64Array } {
    if (this.type === 'numeric') return { rc: refCounts, cc: curCounts };
    const active: number[] = [];
    for (let i = 0; i < refCounts.length; i++) if (refCounts[i] > 0 || curCounts[i] > 0) active.push(i);
    if (active.length === refCounts.length) return { rc: refCounts, cc: curCounts };
    return { rc: Float64Array.from(active, (i) => refCounts[i]), cc: Float64Array.from(active, (i) => curCounts[i]) };
  }
}
