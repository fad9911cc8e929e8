/**
 * One model version's multivariate drift: each record's reconstruction error (stats/multivariate)
 * is pushed into one rolling window per configured window, so the tick only averages. A record is
 * encoded as it arrives (the scanner's columns are lent only while it is delivered) into a block of
 * BLOCK rows; the block's errors are computed together and pushed, in arrival order with their
 * times, when it is full and before anything reads the windows (compute, snapshot, restore), so
 * what any reader sees equals record-at-a-time processing. Rows wait at most until the block fills,
 * the next tick (which computes) or the next state checkpoint (which snapshots). Count windows hold
 * every error; time windows a uniform sample of at most drift.max_window_values of them (the same
 * windows the features use), so the score of a busy time window is the mean of that sample.
 */
import type { FeatureColumns } from '../core/feature-columns.js';
import { emptyRows, type EncodedRows } from '../stats/multivariate/encoded-rows.js';
import { reconstructionAutoThreshold, reconstructionBand } from '../stats/multivariate/pca-reconstruction.js';
import type { ReconstructionModel } from '../stats/multivariate/reconstruction-model.js';
import { ReconstructionScorer } from '../stats/multivariate/reconstruction-scorer.js';
import type { EncodedValue } from '../stats/multivariate/record-encoder.js';
import { CountWindow } from './count-window.js';
import type { WindowSpec } from './feature-drift.js';
import { TimeWindow } from './time-window.js';
import { scratchValues } from './value-scratch.js';

export interface MultivariateSettings {
  threshold: 'std' | 'auto';
  stdMultiplier: number;
  falseAlarmRate: number;
  minSamples: number;
  maxWindowValues: number;
}

export interface MultivariateResult {
  samples: number;
  /** Present once the window holds min_samples records. */
  score?: number;
  upper?: number;
  /** `std` thresholds only (a drop of the error is drift too, as in NannyML). */
  lower?: number;
  drifted?: boolean;
}

/**
 * Records encoded before their errors are computed together: enough to spread each block's fixed
 * costs (its calls, the axes brought into registers' reach) thin, small enough to stay in the L1
 * cache (128 × 20 features: 20 KiB).
 */
export const BLOCK = 128;

/** The one bin every error is counted in (the windows keep the errors themselves). */
const NO_BINS = new Int32Array(BLOCK);
/** A block's count in its one bin (every error is bin 0), as a count window takes a run already counted. */
const ONE_BIN_RUN = new Int32Array(1);

export class MultivariateDrift {
  private readonly scorer: ReconstructionScorer;
  private readonly windows: (CountWindow | TimeWindow)[];
  /** Records encoded and not yet scored: rows 0 … pending − 1, with their event times. */
  private readonly block: EncodedRows;
  private readonly times = new Float64Array(BLOCK);
  private readonly blockErrors = new Float64Array(BLOCK);
  private pending = 0;
  results: MultivariateResult[];

  constructor(
    readonly model: ReconstructionModel,
    readonly specs: readonly WindowSpec[],
    private readonly settings: MultivariateSettings,
  ) {
    this.scorer = new ReconstructionScorer(model);
    this.windows = specs.map((s) =>
      s.count !== undefined ? new CountWindow(s.count, 1, 'own') : new TimeWindow(s.seconds ?? 300, 1, settings.maxWindowValues),
    );
    this.block = emptyRows(model.encoder, BLOCK);
    this.results = specs.map(() => ({ samples: 0 }));
  }

  observe(t: number, features: Readonly<Record<string, EncodedValue>>): void {
    this.scorer.encoding.fromRow(features, this.block, this.pending);
    this.times[this.pending] = t;
    if (++this.pending === BLOCK) this.flush();
  }

  /** The same as observe() for a lent record's columns (encoded now: they are lent only during the call). */
  observeColumns(t: number, columns: FeatureColumns): void {
    this.scorer.encoding.fromColumns(columns, this.block, this.pending);
    this.times[this.pending] = t;
    if (++this.pending === BLOCK) this.flush();
  }

  /** Scores the waiting records and pushes their errors into the windows, in arrival order. */
  flush(): void {
    const n = this.pending;
    if (n === 0) return;
    this.pending = 0;
    const errors = this.blockErrors;
    this.scorer.errors(this.block, 0, n, errors, 0);
    // A block's errors into each window in one call, a run at a time (no call per record and
    // window); the windows are independent, so window by window equals record by record.
    for (const w of this.windows) {
      if (w instanceof CountWindow) {
        ONE_BIN_RUN[0] = n;
        w.pushCounted(errors, NO_BINS, n, ONE_BIN_RUN, 0);
      }
      else w.pushBatch(this.times, errors, NO_BINS, n);
    }
  }

  compute(now: number): void {
    this.flush();
    this.results = this.windows.map((w) => {
      w.advance(now);
      const samples = w.size();
      if (samples < this.settings.minSamples) return { samples };
      // In the tick's shared scratch (value-scratch.ts): read here and not after.
      const errors = w.values(scratchValues);
      let sum = 0;
      for (let i = 0; i < errors.length; i++) sum += errors[i];
      const score = sum / errors.length;
      // The band is for the mean actually taken: of the sample a busy time window keeps.
      const n = errors.length;
      if (this.settings.threshold === 'auto') {
        const upper = reconstructionAutoThreshold(this.model, n, this.settings.falseAlarmRate);
        return { samples, score, upper, drifted: score > upper };
      }
      const { lower, upper } = reconstructionBand(this.model, n, this.settings.stdMultiplier);
      return { samples, score, upper, lower, drifted: score > upper || score < lower };
    });
  }

  snapshot(): Record<string, unknown> {
    this.flush();
    const out: Record<string, unknown> = {};
    this.specs.forEach((spec, i) => (out[spec.label] = this.windows[i].snapshot()));
    return out;
  }

  restore(state: unknown): void {
    this.flush();
    const saved = state as Record<string, unknown> | undefined;
    this.specs.forEach((spec, i) => {
      if (saved?.[spec.label] !== undefined) this.windows[i].restore(saved[spec.label]);
    });
  }
}
